import { parseArgs } from 'node:util';

import { startSandbox, type SandboxOptions } from './index';

const USAGE = `Usage: npm run sandbox -- [--port 5680] [--host 127.0.0.1] [--customers N] [--seed N] [--legacy] [--token-lifetime SECONDS] [--licenses N] [--tls] [--api-site separate] [--no-auto-discovery] [--reference-token]`;

function integer(name: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const parsed = Number(value);
	if (!Number.isInteger(parsed) || parsed < 0)
		throw new Error(`--${name} must be a non-negative integer, got '${value}'`);
	return parsed;
}

function readOptions(argv: string[]): SandboxOptions {
	const { values } = parseArgs({
		args: argv,
		options: {
			port: { type: 'string', default: '5680' },
			host: { type: 'string', default: '127.0.0.1' },
			customers: { type: 'string' },
			seed: { type: 'string' },
			legacy: { type: 'boolean', default: false },
			'token-lifetime': { type: 'string' },
			licenses: { type: 'string' },
			tls: { type: 'boolean', default: false },
			'api-site': { type: 'string', default: 'instance' },
			'no-auto-discovery': { type: 'boolean', default: false },
			'reference-token': { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		process.exit(0);
	}
	const customers = integer('customers', values.customers);
	const apiSite = values['api-site'];
	if (apiSite !== 'instance' && apiSite !== 'separate')
		throw new Error(`--api-site must be 'instance' or 'separate', got '${apiSite}'`);
	return {
		port: integer('port', values.port),
		host: values.host,
		seed: integer('seed', values.seed),
		sizes: customers === undefined ? undefined : { customers },
		legacy: values.legacy,
		tokenLifetimeSeconds: integer('token-lifetime', values['token-lifetime']),
		licenses: values.licenses === undefined ? undefined : { count: integer('licenses', values.licenses) },
		tls: values.tls,
		domainApiSite: apiSite,
		autoDiscovery: !values['no-auto-discovery'],
	};
}

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	const sandbox = await startSandbox(readOptions(argv));
	// A printed reference token is a test secret of this throw-away sandbox only.
	const referenceToken = argv.includes('--reference-token') ? sandbox.control.issueReferenceToken().token : undefined;
	process.stdout.write(
		[
			`ERP.net sandbox listening on ${sandbox.url}`,
			`  Instance URL:  ${sandbox.url}`,
			`  Client ID:     ${sandbox.clientId}`,
			`  Client secret: ${sandbox.clientSecret}`,
			`  OData root:    ${sandbox.odataRoot}`,
			...(referenceToken ? [`  Reference token: ${referenceToken}`] : []),
			'',
		].join('\n'),
	);
	const shutdown = (signal: string) => {
		process.stdout.write(`${signal}: closing the sandbox\n`);
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
	process.exit(1);
});
