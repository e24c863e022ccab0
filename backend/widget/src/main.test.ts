import { describe, expect, it } from 'vitest';
import { init } from './main';

describe('init', () => {
  it('mounts into the container in the chosen language and tears down', () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    const w = init({ container, locale: 'en', ext: { source: '/demo' } });
    expect(container.querySelector('[data-testid="sb-launcher"]')?.textContent).toContain('Chat with us');
    w.destroy();
    expect(container.querySelector('[data-testid="sb-launcher"]')).toBeNull();
  });

  it('replaces a previous widget when called again', () => {
    const container = document.createElement('div');
    document.body.appendChild(container);
    init({ container, locale: 'zh' });
    const w = init({ container, locale: 'zh' });
    expect(container.querySelectorAll('[data-testid="sb-launcher"]')).toHaveLength(1);
    expect(container.querySelector('[data-testid="sb-launcher"]')?.textContent).toContain('在线客服');
    w.destroy();
  });
});
