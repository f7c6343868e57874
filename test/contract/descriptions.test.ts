import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { ErpNetApi } from '../../credentials/ErpNetApi.credentials';
import { ErpNetReferenceTokenApi } from '../../credentials/ErpNetReferenceTokenApi.credentials';
import { ErpNet } from '../../nodes/ErpNet/ErpNet.node';
import { ErpNetInstantTrigger } from '../../nodes/ErpNet/ErpNetInstantTrigger.node';
import { ErpNetTrigger } from '../../nodes/ErpNet/ErpNetTrigger.node';

/**
 * The descriptions as published (type names, parameter names, option values, defaults, displayOptions, texts) are
 * the public contract that saved workflows and credentials depend on: a refactoring must leave them unchanged.
 * After a deliberate change, write the fixture again with `UPDATE_CONTRACT=1 npx jest test/contract` and review its diff.
 */
const FIXTURE = join(__dirname, 'descriptions.json');

interface Contract {
	nodes: Record<string, unknown>;
	credentials: Record<string, { properties: INodeProperties[] } & Record<string, unknown>>;
}

/** JSON as n8n serves it to the editor: functions (methods, authenticate) and undefined values dropped. */
function plain<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function credentialContract(credential: ICredentialType) {
	const { name, displayName, documentationUrl, icon, properties, test } = credential;
	return plain({ name, displayName, documentationUrl, icon, properties, test });
}

function current(): Contract {
	return {
		nodes: Object.fromEntries(
			[new ErpNet().description, new ErpNetTrigger().description, new ErpNetInstantTrigger().description].map(
				(description) => [description.name, plain(description)],
			),
		),
		credentials: Object.fromEntries(
			[new ErpNetApi(), new ErpNetReferenceTokenApi()].map((credential) => [
				credential.name,
				credentialContract(credential),
			]),
		),
	};
}

if (process.env.UPDATE_CONTRACT === '1') writeFileSync(FIXTURE, `${JSON.stringify(current(), null, '\t')}\n`);
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Contract;

describe('published descriptions (public contract)', () => {
	const now = current();

	it.each(Object.keys(recorded.nodes))('should leave the %s node description unchanged', (name) => {
		expect(now.nodes[name]).toEqual(recorded.nodes[name]);
	});

	it.each(Object.keys(recorded.credentials))(
		'should leave the recorded fields of the %s credential unchanged',
		(name) => {
			const { properties, ...rest } = recorded.credentials[name];
			const { properties: nowProperties, ...nowRest } = now.credentials[name];
			expect(nowRest).toEqual(rest);
			// A field added to a credential (with a default) does not break saved credentials; a changed one does.
			const recordedNames = new Set(properties.map((property) => property.name));
			expect(nowProperties.filter((property) => recordedNames.has(property.name))).toEqual(properties);
		},
	);

	it('should publish the same node and credential types', () => {
		expect(Object.keys(now.nodes).sort()).toEqual(Object.keys(recorded.nodes).sort());
		expect(Object.keys(now.credentials).sort()).toEqual(Object.keys(recorded.credentials).sort());
	});
});
