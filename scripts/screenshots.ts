/**
 * Screenshots of the n8n editor with the ERP.net node, for README (docs/screenshots/*.png).
 *
 *   npm start                       # in one terminal: n8n + sandbox + example workflows
 *   npm run screenshots             # in another: logs in and takes the pictures
 *   npm run screenshots -- --url http://127.0.0.1:5700 --email ... --password ...
 *
 * Uses Debian's Chromium (apt-get install -y chromium) driven by playwright-core: no browser download.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Locator, type Page } from 'playwright-core';

import { DEFAULT_OWNER } from './n8n-rest';

const OUT_DIR = path.resolve(__dirname, '..', 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];

function log(message: string): void {
	process.stdout.write(`[screenshots] ${message}\n`);
}

async function firstVisible(page: Page, selectors: string[], timeoutMs = 15000): Promise<Locator> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		for (const selector of selectors) {
			const locator = page.locator(selector).first();
			if (await locator.isVisible().catch(() => false)) return locator;
		}
		if (Date.now() > deadline) throw new Error(`none of these became visible: ${selectors.join(' | ')}`);
		await page.waitForTimeout(250);
	}
}

async function dismissPopups(page: Page): Promise<void> {
	// first-login questionnaires, "what's new" and similar dialogs
	for (let i = 0; i < 3; i++) {
		const close = page.locator(
			'.el-dialog__headerbtn, [data-test-id="close-button"], button[aria-label="Close this dialog"]',
		);
		const count = await close.count();
		let closed = false;
		for (let j = 0; j < count; j++) {
			const button = close.nth(j);
			if (await button.isVisible().catch(() => false)) {
				await button.click().catch(() => undefined);
				closed = true;
			}
		}
		const skip = page.getByRole('button', { name: /^(Skip|Get started|Not now|Dismiss)$/i });
		if (
			await skip
				.first()
				.isVisible()
				.catch(() => false)
		) {
			await skip
				.first()
				.click()
				.catch(() => undefined);
			closed = true;
		}
		if (!closed) break;
		await page.waitForTimeout(400);
	}
}

async function login(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'networkidle' });
	const emailInput = await firstVisible(page, [
		'input[name="emailOrLdapLoginId"]',
		'input[name="email"]',
		'input[type="email"]',
		'[data-test-id="emailOrLdapLoginId"] input',
	]);
	await emailInput.fill(email);
	const passwordInput = await firstVisible(page, ['input[name="password"]', 'input[type="password"]']);
	await passwordInput.fill(password);
	await passwordInput.press('Enter');
	await page.waitForURL((url) => !url.pathname.includes('/signin'), { timeout: 30000 });
	await page.waitForLoadState('networkidle');
	await dismissPopups(page);
}

async function openWorkflow(page: Page, baseUrl: string, id: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${id}`, { waitUntil: 'networkidle' });
	await firstVisible(page, ['[data-test-id="canvas-node"]', '.vue-flow__node'], 30000);
	await dismissPopups(page);
	await page.waitForTimeout(800);
}

function canvasNode(page: Page, name: string): Locator {
	return page
		.locator(`[data-test-id="canvas-node"][data-node-name="${name}"], .vue-flow__node:has-text("${name}")`)
		.first();
}

async function shot(page: Page, file: string, clip?: Locator): Promise<void> {
	const target = path.join(OUT_DIR, file);
	if (clip) await clip.screenshot({ path: target });
	else await page.screenshot({ path: target });
	log(`saved ${path.relative(process.cwd(), target)}`);
}

async function dismissToasts(page: Page): Promise<void> {
	const buttons = page.locator('.el-notification__closeBtn');
	for (let i = (await buttons.count()) - 1; i >= 0; i--)
		await buttons
			.nth(i)
			.click()
			.catch(() => undefined);
	await page.waitForTimeout(300);
}

async function closeNdv(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.waitForTimeout(500);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			url: { type: 'string', default: `http://127.0.0.1:${process.env.N8N_PORT ?? '5678'}` },
			email: { type: 'string', default: DEFAULT_OWNER.email },
			password: { type: 'string', default: DEFAULT_OWNER.password },
		},
	});
	const baseUrl = values.url!.replace(/\/$/, '');
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
	}
	const health = await fetch(`${baseUrl}/healthz`).catch(() => undefined);
	if (!health?.ok) throw new Error(`no n8n at ${baseUrl}: start it with "npm start" first`);
	fs.mkdirSync(OUT_DIR, { recursive: true });

	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		const page = await context.newPage();
		log(`logging in to ${baseUrl} as ${values.email}`);
		await login(page, baseUrl, values.email!, values.password!);

		// 1. the node panel: search "ERP.net" and open the node's actions
		await openWorkflow(page, baseUrl, 'erpnetExListCust');
		const plus = await firstVisible(page, [
			'[data-test-id="node-creator-plus-button"]',
			'button[aria-label="Open nodes panel"]',
			'[data-test-id="canvas-add-button"]',
		]);
		await plus.click();
		const search = await firstVisible(page, [
			'[data-test-id="node-creator-search-bar"] input',
			'input[placeholder^="Search"]',
		]);
		await search.fill('ERP.net');
		await page.waitForTimeout(800);
		const entry = await firstVisible(page, [
			'[data-test-id="node-creator-node-item"]:has-text("ERP.net")',
			'[data-test-id="item-iterator-item"]:has-text("ERP.net")',
		]);
		await entry.click();
		await firstVisible(page, ['[data-test-id="node-creator-action-item"]', '[data-keyboard-nav-type="action"]']);
		await page.waitForTimeout(600);
		await shot(page, 'node-panel-operations.png');
		await page.keyboard.press('Escape');
		await page.waitForTimeout(400);
		await page.keyboard.press('Escape');

		// 2. a configured Get Many (the "List active customers" example)
		await openWorkflow(page, baseUrl, 'erpnetExListCust');
		await canvasNode(page, 'Get active customers').dblclick();
		await firstVisible(page, ['[data-test-id="ndv"]', '.ndv-wrapper', '[data-test-id="node-parameters"]']);
		await page.waitForTimeout(1500);
		await shot(page, 'get-many-configured.png');
		await closeNdv(page);

		// 3. the executed workflow's output
		const execute = await firstVisible(page, [
			'[data-test-id="execute-workflow-button"]',
			'button:has-text("Execute workflow")',
			'button:has-text("Test workflow")',
		]);
		await execute.click();
		await firstVisible(
			page,
			[
				'[data-test-id="canvas-node-status-success"]',
				'.vue-flow__node [data-icon="check"]',
				'[data-test-id="canvas-node-output-handle"] :text("items")',
			],
			60000,
		).catch(() => undefined);
		await page.waitForTimeout(1500);
		await dismissToasts(page);
		await shot(page, 'workflow-executed.png');
		await canvasNode(page, 'Get active customers').dblclick();
		await firstVisible(page, ['[data-test-id="ndv"]', '.ndv-wrapper']);
		await page.waitForTimeout(1500);
		await dismissToasts(page);
		await shot(page, 'get-many-output.png');
		await closeNdv(page);
	} finally {
		await browser.close();
	}
}

main().catch((error: Error) => {
	process.stderr.write(`screenshots failed: ${error.message}\n`);
	process.exit(1);
});
