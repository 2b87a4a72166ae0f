/**
 * Integration: the doctor's pcscd and card reader checks against a real pcscd with the vsmartcard
 * vpcd driver (test/helpers/pcscd.ts; needs root, pcscd and vsmartcard-vpcd as CI has them). No
 * skip when they are missing: the test fails loudly.
 */
import t from 'tap';
import { checkCardReader } from '../../../agent/doctor/checks/cardReader.ts';
import { checkPcscd } from '../../../agent/doctor/checks/pcscd.ts';
import { DevSam } from '../../../drivers/card/devSam.ts';
import { PcscCardReader } from '../../../drivers/card/pcsc.ts';
import { silentLogger } from '../../../drivers/logger.ts';
import { startPcscdRig, type PcscdRig } from '../../helpers/pcscd.ts';

let rig: PcscdRig;
t.before(async () => {
  rig = await startPcscdRig();
});
t.teardown(async () => {
  await rig?.stop();
});

const newReader = () => new PcscCardReader({ readerName: rig.pcscd.readerNames[0], reconnectMs: 100, openTimeoutMs: 1000 }, new DevSam(), silentLogger);

t.test('doctor through pcscd + vpcd', async (t) => {
  t.test('passes pcscd and the reader with its SAM while pcscd runs', async (t) => {
    t.match(await checkPcscd({ pcscdSocket: rig.pcscd.socketPath }), { code: 'PCSCD_OK', status: 'pass' });
    t.match(await checkCardReader({ cardReader: newReader() }), { code: 'READER_OK', status: 'pass' });
  });

  t.test('names pcscd and the reader service as down once pcscd is gone', async (t) => {
    await rig.pcscd.kill();
    t.match(await checkPcscd({ pcscdSocket: rig.pcscd.socketPath }), { code: 'PCSCD_DOWN', status: 'fail' });
    t.match(await checkCardReader({ cardReader: newReader() }), {
      code: 'READER_SERVICE_DOWN',
      status: 'fail',
      detail: /^SERVICE_UNAVAILABLE: /,
    });
    await rig.pcscd.restart();
  });
});
