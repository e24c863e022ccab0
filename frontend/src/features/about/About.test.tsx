import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../api';
import { I18nProvider } from '../../i18n';
import { installFakeWails } from '../../test/fakeWails';
import { AboutDialog, UpdateBanner } from './About';

const notice = {
  current: '0.1.0',
  version: '0.2.0',
  url: 'https://downloads.example.com/switchboard-0.2.0.msi',
};

describe('UpdateBanner', () => {
  it('shows the notice the Go side holds at start, with its download link', async () => {
    installFakeWails({ UpdateNotice: () => Promise.resolve(notice) });
    const opened: string[] = [];
    window.runtime!.BrowserOpenURL = (u: string) => opened.push(u);
    render(
      <I18nProvider lang="en">
        <UpdateBanner />
      </I18nProvider>,
    );
    const banner = await screen.findByTestId('update-banner');
    expect(banner.textContent).toContain('Switchboard 0.2.0 is available (you have 0.1.0).');
    await userEvent.click(screen.getByTestId('update-download'));
    expect(opened).toEqual([notice.url]);
  });

  it('appears on update:available and stays dismissed for that version only', async () => {
    const fake = installFakeWails();
    render(
      <I18nProvider lang="zh-CN">
        <UpdateBanner />
      </I18nProvider>,
    );
    expect(screen.queryByTestId('update-banner')).toBeNull();
    act(() => fake.emit(EVENTS.updateAvailable, { current: '0.1.0', version: '0.2.0' }));
    const banner = await screen.findByTestId('update-banner');
    expect(banner.textContent).toContain('Switchboard 0.2.0 已可用（当前版本 0.1.0）。');
    // Without a link for this OS there is nothing to download.
    expect(screen.queryByTestId('update-download')).toBeNull();
    await userEvent.click(screen.getByTestId('update-dismiss'));
    expect(screen.queryByTestId('update-banner')).toBeNull();
    act(() => fake.emit(EVENTS.updateAvailable, { current: '0.1.0', version: '0.2.0' }));
    expect(screen.queryByTestId('update-banner')).toBeNull();
    act(() => fake.emit(EVENTS.updateAvailable, { current: '0.1.0', version: '0.3.0' }));
    expect((await screen.findByTestId('update-banner')).textContent).toContain('0.3.0');
  });
});

describe('AboutDialog', () => {
  it('shows the version and says when IT turned update notices off', async () => {
    installFakeWails({
      About: () =>
        Promise.resolve({
          version: '1.4.2',
          os: 'windows',
          arch: 'amd64',
          go_version: 'go1.26',
          config_dir: 'C:\\Users\\alice\\AppData\\Roaming\\Switchboard',
          update_check: false,
        }),
    });
    render(
      <I18nProvider lang="en">
        <AboutDialog onClose={() => {}} />
      </I18nProvider>,
    );
    // The dialog shows "…" until the Go side answers.
    await waitFor(() => expect(screen.getByTestId('about-version').textContent).toBe('1.4.2'));
    expect(screen.getByTestId('about-updates').textContent).toBe(
      'Update notices are turned off by your administrator',
    );
  });
});
