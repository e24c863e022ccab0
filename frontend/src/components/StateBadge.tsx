import { useI18n } from '../i18n';

/** A colored badge naming a conversation state. */
export function StateBadge({ state }: { state: string }) {
  const { tMaybe } = useI18n();
  return (
    <span className={`badge badge-${state}`} data-state={state}>
      {tMaybe(`state.${state}`, state)}
    </span>
  );
}
