/**
 * `BENCH_ONLY=rotation`: a long-running n8n whose credential's secret is rotated again and again (and whose
 * "Sessions per n8n Process" changes): one read per execution through the built node and n8n-core, the secret
 * rotated in the sandbox's trusted application and in the credential before each. The heap (after a full GC)
 * must stay flat: the session pools of old settings are freed (core/session/pool.ts), not kept one per setting.
 */
import type { INodeType } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox/src';
import { hashClientSecret } from '../sandbox/src/identity/secret-hash';
// The built package's session state, the one the built node and credential use.
import * as builtSessions from '../dist/core/session/index.js';
import { erpNetCredentials } from '../test/helpers/erpnet';
import { CredentialStore, runNode } from '../test/helpers/n8n';

export interface RotationFigure {
	executions: number;
	ms: number;
	/** Heap after a full GC, in MB: after the warm-up, and the growth from there to the end. */
	heapAfterWarmUpMb: number;
	heapGrowthMb: number;
	/** Heap growth per 1,000 executions over the second half (0 when flat). */
	heapGrowthPerThousandMb: number;
	sessionPools: number;
}

const TRUSTED_APPLICATIONS = 'Systems_Security_TrustedApplications';
const WARM_UP = 200;

function heapMb(): number {
	(global as { gc?: () => void }).gc?.();
	(global as { gc?: () => void }).gc?.();
	return process.memoryUsage().heapUsed / 1024 / 1024;
}

function forgetSandboxHistory(sandbox: Sandbox): void {
	sandbox.control.clearLog();
	sandbox.control.resetCounters();
	sandbox.context.issuedTokens.clear();
	sandbox.context.sessions.clear();
}

const round = (value: number) => Math.round(value * 10) / 10;

export async function rotationScenario(
	erpNetNode: INodeType,
	credentialTypes: unknown[],
	executions: number,
): Promise<RotationFigure> {
	const sandbox = await startSandbox({
		port: 0,
		seed: 3,
		sizes: { customers: 5, products: 1, salesOrders: 1 },
		rateLimit: { requestsPerMinute: 10_000_000 },
	});
	try {
		const application = sandbox.store
			.list(TRUSTED_APPLICATIONS)
			.find((record) => record.ApplicationUri === sandbox.clientId);
		if (!application) throw new Error('the sandbox has no default trusted application');
		const store = new CredentialStore();
		const execute = async (index: number) => {
			const secret = `rotated-secret-${index}`;
			sandbox.store.patch(TRUSTED_APPLICATIONS, String(application.Id), {
				ApplicationSecretHash: hashClientSecret(secret),
			});
			const { error } = await runNode({
				nodeType: erpNetNode,
				credentialTypes: credentialTypes as never,
				credentials: erpNetCredentials(sandbox, { clientSecret: secret, sessionsPerProcess: String(1 + (index % 3)) }),
				credentialStore: store,
				parameters: {
					resource: 'entity',
					operation: 'getAll',
					entitySet: { __rl: true, mode: 'name', value: 'Crm_Sales_Customers' },
					limit: 1,
				},
			});
			if (error) throw error;
			// the sandbox runs in this process: what it keeps per request, token and session is not the node's memory
			if (index % 100 === 0) forgetSandboxHistory(sandbox);
		};
		for (let index = 0; index < WARM_UP; index++) await execute(index);
		const began = performance.now();
		const start = heapMb();
		let middle = start;
		for (let index = WARM_UP; index < WARM_UP + executions; index++) {
			await execute(index);
			if (index === WARM_UP + Math.floor(executions / 2)) middle = heapMb();
		}
		const end = heapMb();
		return {
			executions,
			ms: Math.round(performance.now() - began),
			heapAfterWarmUpMb: round(start),
			heapGrowthMb: round(end - start),
			heapGrowthPerThousandMb: round(((end - middle) / (executions / 2)) * 1000),
			sessionPools: (builtSessions as { sessionPoolCount?: () => number }).sessionPoolCount?.() ?? -1,
		};
	} finally {
		await sandbox.close();
	}
}
