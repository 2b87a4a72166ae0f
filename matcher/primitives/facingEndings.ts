import { angleDistance, isoAngle } from './angles.ts';
import { BROKEN_RIDGE_ANGLE } from '../parameters.ts';

interface Oriented {
  readonly x: number;
  readonly y: number;
  readonly direction: number;
  readonly type: 'ending' | 'bifurcation';
}

/**
 * Two endings that face each other, the signature of one ridge broken by a scar, a pore or a dry
 * patch: opposite directions (within BROKEN_RIDGE_ANGLE) with the gap between the tips. An ISO
 * ending points up its own ridge, so each points away from the other. Image coordinates (y down);
 * the caller bounds the gap.
 */
export function facingEndings(a: Oriented, b: Oriented): boolean {
  if (a.type !== 'ending' || b.type !== 'ending') return false;
  if (angleDistance(a.direction, b.direction) < Math.PI - BROKEN_RIDGE_ANGLE) return false;
  // From b towards a: the way a's ridge runs when b's tip continues it.
  const away = isoAngle(a.x - b.x, a.y - b.y);
  return angleDistance(a.direction, away) <= BROKEN_RIDGE_ANGLE * 1.5;
}
