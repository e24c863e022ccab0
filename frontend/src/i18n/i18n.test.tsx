import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, useI18n } from './index';
import { installFakeWails } from '../test/fakeWails';

function Probe() {
  const { lang, t } = useI18n();
  return (
    <p data-testid="probe" data-lang={lang}>
      {t('signin.submit')}
    </p>
  );
}

describe('UI language', () => {
  afterEach(() => window.localStorage.clear());

  it("follows the OS language the Go side reports, over the web view's", async () => {
    // jsdom's navigator.language is en-US, like WebKitGTK's whatever LANG says.
    installFakeWails({ SystemLanguage: () => Promise.resolve('zh-CN') });
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveAttribute('data-lang', 'zh-CN'));
    // <html lang> follows in an effect after the render.
    await waitFor(() => expect(document.documentElement.lang).toBe('zh-CN'));
  });

  it('keeps the language the agent chose', async () => {
    window.localStorage.setItem('switchboard.lang', 'en');
    const fake = installFakeWails({ SystemLanguage: () => Promise.resolve('zh-Hans-CN') });
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('probe')).toHaveAttribute('data-lang', 'en');
    expect(fake.app.SystemLanguage).not.toHaveBeenCalled();
  });

  it('falls back to navigator.language when the OS does not say', async () => {
    installFakeWails({ SystemLanguage: () => Promise.resolve('') });
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('probe')).toHaveAttribute('data-lang', 'en');
  });
});
