import { describe, expect, it } from 'vitest';
import { renderText, splitLinks } from './linkify';

function render(text: string): HTMLElement {
  const div = document.createElement('div');
  renderText(div, text);
  return div;
}

describe('renderText', () => {
  it('renders HTML in message text as text', () => {
    const text = '<img src=x onerror=alert(1)><script>alert(2)</script><b>bold</b>';
    const div = render(text);
    expect(div.children).toHaveLength(0);
    expect(div.querySelector('img,script,b')).toBeNull();
    expect(div.textContent).toBe(text);
  });

  it('links http(s) URLs with safe attributes and text labels', () => {
    const div = render('运费说明见 https://shop.example.com/help?q=1&x=<b>，谢谢');
    const links = div.querySelectorAll('a');
    expect(links).toHaveLength(1);
    const a = links[0];
    expect(a.getAttribute('href')).toBe('https://shop.example.com/help?q=1&x=');
    expect(a.textContent).toBe('https://shop.example.com/help?q=1&x=');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.children).toHaveLength(0);
    expect(div.textContent).toBe('运费说明见 https://shop.example.com/help?q=1&x=<b>，谢谢');
  });

  it('does not link other schemes', () => {
    const div = render('javascript:alert(1) data:text/html,<b>x</b> ftp://x');
    expect(div.querySelector('a')).toBeNull();
  });

  it('keeps markup-looking URLs inert', () => {
    const div = render('http://x.test/"><img src=x onerror=alert(1)>');
    expect(div.querySelector('img')).toBeNull();
    expect(div.querySelectorAll('a')).toHaveLength(1);
    expect(div.textContent).toBe('http://x.test/"><img src=x onerror=alert(1)>');
  });
});

describe('splitLinks', () => {
  it.each([
    ['see http://a.test/x.', [['text', 'see '], ['link', 'http://a.test/x'], ['text', '.']]],
    ['(http://a.test/wiki/Foo_(bar))', [['text', '('], ['link', 'http://a.test/wiki/Foo_(bar)'], ['text', ')']]],
    ['no links here', [['text', 'no links here']]],
    ['https://a.test https://b.test', [['link', 'https://a.test'], ['text', ' '], ['link', 'https://b.test']]],
  ])('splitLinks(%j)', (text, want) => {
    expect(splitLinks(text).map((s) => [s.kind, s.text])).toEqual(want);
  });
});
