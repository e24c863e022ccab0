import type { CSSProperties } from 'react';

function hue(seed: string): number {
  let h = 0;
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) >>> 0;
  return h % 360;
}

/** A round avatar with the first letter of name on a color derived from seed. */
export function Avatar({ name, seed, size = 32 }: { name: string; seed: string; size?: number }) {
  const letter = Array.from(name.trim())[0]?.toUpperCase() ?? '?';
  const style = {
    '--avatar-hue': hue(seed || name),
    '--avatar-size': `${size}px`,
  } as CSSProperties;
  return (
    <span className="avatar" style={style} aria-hidden="true">
      {letter}
    </span>
  );
}
