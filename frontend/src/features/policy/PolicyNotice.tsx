import { X } from 'lucide-react';
import { useState } from 'react';
import type { PolicyProblem } from '../../api/policy';
import { useI18n, type I18n } from '../../i18n';
import { usePolicy } from './PolicyProvider';

/** Words for a problem: by its code, naming the source and the key. */
export function problemText(p: PolicyProblem, tMaybe: I18n['tMaybe'], t: I18n['t']): string {
  const params = { source: p.source, key: p.key };
  return tMaybe(`policy.problem.${p.code}`, t('policy.problem.other', params), params);
}

/**
 * Says what is wrong with the managed policy, one line per problem, until
 * the agent dismisses it; the app has ignored what was wrong.
 */
export function PolicyNotice() {
  const { t, tMaybe } = useI18n();
  const { problems } = usePolicy();
  const [dismissed, setDismissed] = useState(false);
  if (problems.length === 0 || dismissed) return null;
  const errors = problems.some((p) => p.severity === 'error');
  return (
    <div
      className={`policy-notice ${errors ? 'policy-notice-error' : ''}`}
      role="alert"
      data-testid="policy-notice"
    >
      <div className="policy-notice-body">
        <strong>{t('policy.problemsTitle')}</strong>
        <ul>
          {problems.map((p, i) => (
            <li
              key={`${p.source}|${p.key}|${p.code}|${i}`}
              data-testid="policy-problem"
              data-code={p.code}
            >
              {problemText(p, tMaybe, t)}
              {p.message && <span className="policy-notice-detail"> ({p.message})</span>}
            </li>
          ))}
        </ul>
        <p className="policy-notice-hint">{t('policy.problemsHint')}</p>
      </div>
      <button
        type="button"
        className="btn btn-ghost policy-notice-close"
        aria-label={t('policy.dismiss')}
        title={t('policy.dismiss')}
        onClick={() => setDismissed(true)}
      >
        <X size={14} aria-hidden="true" />
      </button>
    </div>
  );
}
