import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../App';
import { installFakeWails } from '../../test/fakeWails';

async function signInWith(lang: 'en' | 'zh-CN') {
  const user = userEvent.setup();
  render(<App lang={lang} />);
  const server = await screen.findByTestId('signin-server');
  expect(server).toHaveValue('http://127.0.0.1:8080');
  await user.type(screen.getByTestId('signin-username'), 'alice');
  await user.type(screen.getByTestId('signin-password'), 'wrong');
  await user.click(screen.getByTestId('signin-submit'));
  return screen.findByTestId('signin-error');
}

describe('sign-in', () => {
  it('shows the translated error on bad credentials (en)', async () => {
    // The Wails runtime rejects with an Error carrying the Go error's text.
    const fake = installFakeWails({
      SignIn: () => Promise.reject(new Error('bad_credentials: wrong username or password')),
    });
    const err = await signInWith('en');
    expect(err).toHaveTextContent('Wrong username or password');
    expect(fake.app.SignIn).toHaveBeenCalledWith('http://127.0.0.1:8080', 'alice', 'wrong');
  });

  it('shows the translated error on bad credentials (zh-CN)', async () => {
    installFakeWails({
      SignIn: () => Promise.reject('bad_credentials: wrong username or password'),
    });
    expect(await signInWith('zh-CN')).toHaveTextContent('用户名或密码错误');
  });

  it('says the server cannot be reached', async () => {
    installFakeWails({ SignIn: () => Promise.reject('unavailable: dial tcp: connection refused') });
    expect(await signInWith('en')).toHaveTextContent('Cannot reach the server');
  });

  it('opens the workspace after signing in', async () => {
    installFakeWails();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await user.type(await screen.findByTestId('signin-username'), 'alice');
    await user.type(screen.getByTestId('signin-password'), 'switchboard-demo');
    await user.click(screen.getByTestId('signin-submit'));
    expect(await screen.findByTestId('conn-state')).toHaveAttribute('data-state', 'offline');
    expect(screen.getByTestId('tab-mine')).toBeInTheDocument();
  });

  it('switches language from the header control', async () => {
    installFakeWails();
    const user = userEvent.setup();
    render(<App lang="en" />);
    await user.selectOptions(await screen.findByTestId('lang-switch'), 'zh-CN');
    expect(screen.getByTestId('signin-submit')).toHaveTextContent('登录');
  });
});
