import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import { NO_POLICY, normalizePolicy, type PolicyState } from '../../api/policy';
import { installFakeWails } from '../../test/fakeWails';

const file = '/etc/switchboard/policy.json';

/** Installs the fake Wails with a Policy binding answering p. */
function withPolicy(
  p: Partial<PolicyState>,
  overrides: Parameters<typeof installFakeWails>[0] = {},
) {
  const fake = installFakeWails(overrides);
  const Policy = vi.fn(() => Promise.resolve({ ...NO_POLICY, ...p }));
  (window.go!.app!.App as Record<string, unknown>).Policy = Policy;
  return { ...fake, Policy };
}

describe('managed server', () => {
  it('locks the sign-in server field and signs in to the locked server', async () => {
    const fake = withPolicy({
      ServerURL: { value: 'https://chat.example.com', locked: true, source: file },
      LockServerURL: { value: true, locked: true, source: file },
    });
    const user = userEvent.setup();
    render(<App lang="en" />);
    const server = await screen.findByTestId('signin-server');
    await waitFor(() => expect(server).toHaveValue('https://chat.example.com'));
    expect(server).toBeDisabled();
    expect(server).toHaveAttribute('title', 'Set by your administrator');
    expect(screen.getByTestId('signin-server-lock')).toHaveAttribute(
      'title',
      'Set by your administrator',
    );

    await user.type(screen.getByTestId('signin-username'), 'alice');
    await user.type(screen.getByTestId('signin-password'), 'pw');
    await user.click(screen.getByTestId('signin-submit'));
    expect(fake.app.SignIn).toHaveBeenCalledWith('https://chat.example.com', 'alice', 'pw');
  });

  it('leaves a preset server editable', async () => {
    withPolicy({ ServerURL: { value: 'https://chat.example.com', locked: false, source: file } });
    render(<App lang="en" />);
    const server = await screen.findByTestId('signin-server');
    await new Promise((r) => setTimeout(r, 20));
    expect(server).toBeEnabled();
    expect(screen.queryByTestId('signin-server-lock')).toBeNull();
  });

  it.each([
    ['en', 'Your administrator does not allow signing in to this server.'],
    ['zh-CN', '管理员不允许登录此服务器。'],
  ] as const)('says a server is not allowed (%s)', async (lang, text) => {
    withPolicy(
      { AllowedServers: { value: ['chat.example.com'], locked: true, source: file } },
      {
        SignIn: () =>
          Promise.reject(
            'server_not_allowed: your administrator does not allow the server http://x',
          ),
      },
    );
    const user = userEvent.setup();
    render(<App lang={lang} />);
    await user.type(await screen.findByTestId('signin-username'), 'alice');
    await user.type(screen.getByTestId('signin-password'), 'pw');
    await user.click(screen.getByTestId('signin-submit'));
    expect(await screen.findByTestId('signin-error')).toHaveTextContent(text);
  });
});

describe('managed language', () => {
  it('locks the language switch to an enforced language over the agent’s choice', async () => {
    window.localStorage.setItem('switchboard.lang', 'en');
    withPolicy({ Language: { value: 'zh-CN', locked: true, source: file } });
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('signin-submit')).toHaveTextContent('登录'));
    const sw = screen.getByTestId('lang-switch');
    expect(sw).toBeDisabled();
    expect(sw).toHaveValue('zh-CN');
    expect(screen.getByTestId('lang-lock')).toHaveAttribute('title', '由管理员设置');
  });

  it('locks to the OS language when the policy says system', async () => {
    window.localStorage.setItem('switchboard.lang', 'en');
    const fake = withPolicy(
      { Language: { value: 'system', locked: true, source: file } },
      { SystemLanguage: () => Promise.resolve('zh-Hans-CN') },
    );
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('lang-switch')).toHaveValue('zh-CN'));
    expect(screen.getByTestId('lang-switch')).toBeDisabled();
    expect(fake.app.SystemLanguage).toHaveBeenCalled();
  });

  it('starts in a recommended language until the agent picks another', async () => {
    withPolicy(
      { Language: { value: 'zh-CN', locked: false, source: file } },
      { SystemLanguage: () => Promise.resolve('en-US') },
    );
    const user = userEvent.setup();
    render(<App />);
    const sw = await screen.findByTestId('lang-switch');
    await waitFor(() => expect(sw).toHaveValue('zh-CN'));
    expect(sw).toBeEnabled();
    expect(screen.queryByTestId('lang-lock')).toBeNull();
    await user.selectOptions(sw, 'en');
    expect(screen.getByTestId('signin-submit')).toHaveTextContent('Sign in');
    expect(window.localStorage.getItem('switchboard.lang')).toBe('en');
  });

  it('keeps the agent’s choice over a recommended language', async () => {
    window.localStorage.setItem('switchboard.lang', 'en');
    withPolicy({ Language: { value: 'zh-CN', locked: false, source: file } });
    render(<App />);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('lang-switch')).toHaveValue('en');
  });
});

describe('policy problems', () => {
  const problems = [
    {
      source: file,
      key: 'CacheRetentionDays',
      code: 'out_of_range',
      severity: 'error',
      message: '0 is out of range 1..3650; ignored',
    },
    {
      source: 'HKLM\\Software\\Policies\\Switchboard',
      key: '',
      code: 'unreadable',
      severity: 'error',
      message: 'access denied',
    },
    {
      source: file,
      key: 'Colour',
      code: 'unknown_key',
      severity: 'warning',
      message: 'is not a setting; ignored',
    },
  ];

  it('names the source and the key of each problem, and can be dismissed', async () => {
    withPolicy({ problems });
    const user = userEvent.setup();
    render(<App lang="en" />);
    const notice = await screen.findByTestId('policy-notice');
    const items = within(notice).getAllByTestId('policy-problem');
    expect(items.map((i) => i.dataset.code)).toEqual(['out_of_range', 'unreadable', 'unknown_key']);
    expect(items[0]).toHaveTextContent(
      `CacheRetentionDays in ${file} is out of range and was ignored.`,
    );
    expect(items[0]).toHaveTextContent('0 is out of range 1..3650');
    expect(items[1]).toHaveTextContent('HKLM\\Software\\Policies\\Switchboard could not be read');
    expect(items[2]).toHaveTextContent(`Colour in ${file} is not a known setting.`);
    expect(notice).toHaveClass('policy-notice-error');
    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('policy-notice')).toBeNull();
  });

  it('says it in Chinese', async () => {
    withPolicy({ problems: [problems[0]!, { ...problems[0]!, code: 'something_new' }] });
    render(<App lang="zh-CN" />);
    const items = await screen.findAllByTestId('policy-problem');
    expect(items[0]).toHaveTextContent(`${file} 中的 CacheRetentionDays 超出允许范围，已忽略。`);
    // A code this UI does not know still names the source and key.
    expect(items[1]).toHaveTextContent(`${file} 中的 CacheRetentionDays 有问题。`);
  });

  it('shows nothing when there is no problem or no binding', async () => {
    installFakeWails();
    render(<App lang="en" />);
    await screen.findByTestId('signin-server');
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('policy-notice')).toBeNull();
    expect(screen.getByTestId('signin-server')).toBeEnabled();
  });
});

describe('normalizePolicy', () => {
  it('keeps the well-formed parts of what the Go side sent', () => {
    const p = normalizePolicy({
      ServerURL: { value: 'https://a.example.com', locked: true, source: file },
      Language: { value: 'fr', locked: true, source: file },
      CacheRetentionDays: { value: '30', locked: true, source: file },
      problems: [{ source: file, key: 'X', code: 'unknown_key' }, { nonsense: true }],
    });
    expect(p.ServerURL).toEqual({ value: 'https://a.example.com', locked: true, source: file });
    expect(p.Language).toEqual(NO_POLICY.Language);
    expect(p.CacheRetentionDays).toEqual(NO_POLICY.CacheRetentionDays);
    expect(p.problems).toEqual([
      { source: file, key: 'X', code: 'unknown_key', severity: 'error', message: '' },
    ]);
    expect(normalizePolicy(null)).toEqual(NO_POLICY);
  });
});
