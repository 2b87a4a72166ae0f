import { DeviceError } from '../../drivers/deviceError.ts';

/** Hall display codes; in the same one error type as the rest of the agent. */
export type HallErrorCode =
  /** The clip folder lacks a clip the page needs: run `ektp-agent hall clips` (the installer does). */
  | 'HALL_CLIPS_MISSING'
  /** espeak-ng is not installed or failed to render a clip. */
  | 'HALL_TTS_FAILED'
  /** The display's port could not be opened (in use, or below 1024 without the right). */
  | 'HALL_LISTEN_FAILED';

export class HallError extends DeviceError<HallErrorCode> {}
