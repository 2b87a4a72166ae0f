import t from 'tap';
import { createCardReader, validateCardReaderConfig } from '../../../drivers/card/factory.ts';
import { SimCardReader } from '../../../drivers/card/sim.ts';
import { PcscCardReader } from '../../../drivers/card/pcsc.ts';
import { silentLogger } from '../../../drivers/logger.ts';

t.test('createCardReader', async (t) => {
  t.test('builds the simulator for driver sim', async (t) => {
    t.type(await createCardReader({ driver: 'sim' }, silentLogger), SimCardReader);
  });

  t.test('builds the PC/SC reader for driver pcsc without touching pcscd', async (t) => {
    const r = await createCardReader({ driver: 'pcsc', readerName: 'X', sam: { kind: 'dev-test-keys' } }, silentLogger);
    t.type(r, PcscCardReader);
    t.equal(r.health().reader, 'absent');
  });

  t.test('throws on an unknown driver instead of falling back', async (t) => {
    await t.rejects(createCardReader({ driver: 'usb' } as never, silentLogger), TypeError);
  });

  t.test('requires an explicit SAM for pcsc', async (t) => {
    await t.rejects(createCardReader({ driver: 'pcsc' } as never, silentLogger), /sam: required/);
  });

  t.test('loads a SAM module that lacks createSam as an error', async (t) => {
    await t.rejects(
      createCardReader({ driver: 'pcsc', sam: { kind: 'module', path: 'node:os' } }, silentLogger),
      /does not export createSam/,
    );
  });
});

t.test('validateCardReaderConfig', async (t) => {
  t.test('lists every problem with its path', async (t) => {
    const errs = validateCardReaderConfig({ driver: 'pcsc', readerName: '', chunkSize: 5, sam: { kind: 'magic' }, extra: 1 });
    t.same(errs.sort(), [
      'cardReader.chunkSize: must be an integer 16..32767',
      'cardReader.extra: unknown key for driver pcsc',
      'cardReader.readerName: must be a non-empty string',
      "cardReader.sam: required: { kind: 'dev-test-keys' } (NOT FOR PRODUCTION) or { kind: 'module', path }",
    ]);
  });

  t.test('names the missing SAM and refuses an unknown driver or a SAM module without a path', async (t) => {
    t.same(validateCardReaderConfig({ driver: 'pcsc' }), ["cardReader.sam: required: { kind: 'dev-test-keys' } (NOT FOR PRODUCTION) or { kind: 'module', path }"]);
    t.same(validateCardReaderConfig({ driver: 'usb' }), [`cardReader.driver: must be 'sim' or 'pcsc', got "usb"`]);
    t.same(validateCardReaderConfig({ driver: 'pcsc', sam: { kind: 'module' } }), [
      "cardReader.sam: required: { kind: 'dev-test-keys' } (NOT FOR PRODUCTION) or { kind: 'module', path }",
    ]);
    t.same(validateCardReaderConfig({ driver: 'sim', readLatencyMs: -1 }), ['cardReader.readLatencyMs: must be an integer 0..60000']);
  });

  t.test('accepts minimal sim and pcsc configs', async (t) => {
    t.same(validateCardReaderConfig({ driver: 'sim' }), []);
    t.same(validateCardReaderConfig({ driver: 'pcsc', sam: { kind: 'dev-test-keys' } }), []);
  });
});
