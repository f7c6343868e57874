/**
 * The e2e harness's way of running n8n's CLI (scripts/n8n-runtime.ts): the whole output of a child that writes a
 * large result and then calls process.exit() (what `n8n execute --rawOutput` does), a child that crashes after
 * printing, how an `n8n execute` run is judged, and n8n's port-taken message.
 */
import { executeSucceeded, isPortInUse, runCaptured } from '../../scripts/n8n-runtime';

const BIG = 4 * 1024 * 1024;

/** A child like n8n's CLI: one large write (a JSON line), then process.exit() at once. */
const writeThenExit = `
const rows = Array.from({ length: ${BIG / 64} }, (_, i) => ({ id: i, pad: 'x'.repeat(40) }));
process.stdout.write('[Task Runner] a log line\\n' + JSON.stringify(rows) + '\\n');
process.stderr.write('done\\n');
process.exit(3);
`;

describe('runCaptured', () => {
	test('keeps every byte a child writes right before process.exit() (64 KiB pipe buffers do not cut it off)', async () => {
		const result = await runCaptured(process.execPath, ['-e', writeThenExit], { cwd: __dirname, timeoutMs: 120000 });
		expect(result.code).toBe(3);
		expect(result.stderr).toBe('done\n');
		const [log, json, rest] = result.stdout.split('\n');
		expect(log).toBe('[Task Runner] a log line');
		expect(rest).toBe('');
		const rows = JSON.parse(json) as Array<{ id: number }>;
		expect(rows).toHaveLength(BIG / 64);
		expect(rows[rows.length - 1].id).toBe(BIG / 64 - 1);
	});

	test('a child that runs past the limit is killed and reported with its output so far', async () => {
		await expect(
			runCaptured(process.execPath, ['-e', "process.stdout.write('started\\n'); setInterval(() => {}, 1000)"], {
				cwd: __dirname,
				timeoutMs: 1500,
				label: 'slow child',
			}),
		).rejects.toThrow(/slow child .* timed out after 1500 ms\nstarted/s);
	});
});

describe('runCaptured and a crash after printing', () => {
	test('a child that prints and then dies by SIGSEGV: exit code null, the signal, and the whole output', async () => {
		const script = `process.stdout.write(JSON.stringify({ status: 'success' }) + '\\n'); process.kill(process.pid, 'SIGSEGV')`;
		const result = await runCaptured(process.execPath, ['-e', script], { cwd: __dirname, timeoutMs: 120000 });
		expect(result.code).toBeNull();
		expect(result.signal).toBe('SIGSEGV');
		expect(result.stdout).toBe('{"status":"success"}\n');
	});

	test('a child that exits normally has no signal', async () => {
		const result = await runCaptured(process.execPath, ['-e', 'process.exit(0)'], {
			cwd: __dirname,
			timeoutMs: 120000,
		});
		expect(result).toMatchObject({ code: 0, signal: null });
	});
});

describe('executeSucceeded (how an `n8n execute` run is judged)', () => {
	const succeeded = { finished: true, status: 'success', data: { resultData: {} } };
	const failed = { finished: true, status: 'error', data: { resultData: { error: { message: 'boom' } } } };

	test('exit 0 with a run without an error', () => {
		expect(executeSucceeded({ code: 0, signal: null }, succeeded)).toBe(true);
		expect(executeSucceeded({ code: 0, signal: null }, failed)).toBe(false);
	});

	test("n8n 1.x's native crash at exit after printing a finished, successful run counts as the printed run", () => {
		expect(executeSucceeded({ code: null, signal: 'SIGSEGV' }, succeeded)).toBe(true);
		expect(executeSucceeded({ code: null, signal: 'SIGSEGV' }, failed)).toBe(false);
		expect(executeSucceeded({ code: null, signal: 'SIGSEGV' }, { ...succeeded, finished: false })).toBe(false);
		expect(executeSucceeded({ code: null, signal: 'SIGSEGV' }, { ...succeeded, status: 'running' })).toBe(false);
	});

	test('exit 1, or a kill from outside (timeout, OOM killer), is a failure whatever was printed', () => {
		expect(executeSucceeded({ code: 1, signal: null }, succeeded)).toBe(false);
		expect(executeSucceeded({ code: null, signal: 'SIGKILL' }, succeeded)).toBe(false);
		expect(executeSucceeded({ code: null, signal: 'SIGTERM' }, succeeded)).toBe(false);
	});
});

describe('isPortInUse', () => {
	test("n8n's messages for a taken task-broker port and a taken main port", () => {
		expect(
			isPortInUse(
				"n8n Task Broker's port 41234 is already in use. Do you have another instance of n8n running already?",
			),
		).toBe(true);
		expect(isPortInUse("n8n's port 5678 is already in use. Do you have another instance of n8n running already?")).toBe(
			true,
		);
	});

	test('other failures are not mistaken for a taken port', () => {
		expect(isPortInUse('connect ECONNREFUSED 127.0.0.1:41234')).toBe(false);
		expect(isPortInUse('Execution error: the node ERP.net failed')).toBe(false);
	});
});
