import type { EventEmitter } from 'node:events';
import type { CardReaderEvents } from './types.ts';

/** Resolves on the reader's next `card-inserted` / `card-removed`; rejects with the signal's reason on abort. */
export function nextCardEvent(reader: EventEmitter<CardReaderEvents>, event: 'card-inserted' | 'card-removed', signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onEvent = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      reader.off(event, onEvent);
      reject(signal.reason);
    };
    reader.once(event, onEvent);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
