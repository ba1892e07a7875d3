// flows.js -- the web pages as a person uses them: headless Debian Chromium
// driven by playwright-core.  tests/e2e/browser.sh starts the real daemon
// and runs one flow per call (a fresh browser, so a fresh context each),
// doing between the calls what a browser cannot: posting mail, reading the
// SMTP sink, asking the CLI.
//
//   node flows.js FLOW
//
// Environment: BASE (https://127.0.0.1:PORT, the daemon's web_base_url),
// LIST, ADMIN_USER, ADMIN_PASS, OUT (the screenshot directory), and per
// flow ADDRESS, NAME, PREFIX, HELD_ID, URL, HEADING, SHOT, DMARC_DOMAIN, DMARC_END,
// DMARC_DAYS_JSON.  Each step
// prints "PASS what" or "FAIL what: why" on a line of its own; the first
// failure ends the flow and the exit status is 1.  Pages are found by the ids, field names
// and button texts of the contract (ROUTES.md), never by position.
'use strict';

const path = require('path');
// playwright-core is installed globally by scripts/deps.sh (browser.sh sets
// NODE_PATH to npm's global root), not in a node_modules of the tree.
const { chromium } = require('playwright-core');

const env = (name) => {
	const v = process.env[name];
	if (v === undefined || v === '')
		throw new Error('environment variable ' + name + ' is not set');
	return v;
};
const BASE = env('BASE');
const LIST = env('LIST');
const OUT = env('OUT');
const TIMEOUT = 15000;

class StepFailed extends Error {}

// step WHAT FN -- run FN; print PASS or FAIL; a failure ends the flow
async function step(what, fn) {
	try {
		await fn();
	} catch (e) {
		const why = String(e && e.message ? e.message : e).split('\n')[0];
		console.log('FAIL ' + what + ': ' + why);
		throw new StepFailed(what);
	}
	console.log('PASS ' + what);
}

function must(cond, why) {
	if (!cond)
		throw new Error(why);
}

async function shot(page, name) {
	await page.screenshot({ path: path.join(OUT, name + '.png'), fullPage: true });
}

// the page answered with this status (a navigation's response)
function status(resp, want) {
	must(resp !== null, 'no response');
	must(resp.status() === want, 'HTTP ' + resp.status() + ', not ' + want);
}

const admin = (p) => BASE + '/admin/lists/' + LIST + p;

// login -- through form#login; lands on /admin/
async function login(page) {
	await step('the login page', async () => {
		status(await page.goto(BASE + '/login'), 200);
	});
	await step('log in as ' + env('ADMIN_USER'), async () => {
		const form = page.locator('form#login');
		await form.locator('[name="user"]').fill(env('ADMIN_USER'));
		await form.locator('[name="password"]').fill(env('ADMIN_PASS'));
		await Promise.all([
			page.waitForURL(BASE + '/admin/'),
			form.getByRole('button', { name: 'Log in' }).click(),
		]);
	});
}

// page_ok NAME URL HEADING -- GET URL is 200, a heading, screenshot NAME
async function page_ok(page, name, url, heading) {
	await step(name + ' page ' + url, async () => {
		status(await page.goto(url), 200);
		await page.getByRole('heading', { name: heading }).first().waitFor();
		await shot(page, name);
	});
}

const flows = {
	// 1. log in; /admin/ shows the list
	async login(page) {
		await step('the login page has labelled fields', async () => {
			status(await page.goto(BASE + '/login'), 200);
			await page.getByLabel(/user/i).first().waitFor();
			await page.getByLabel(/password/i).first().waitFor();
			await shot(page, 'login');
		});
		await step('a wrong password is refused', async () => {
			const form = page.locator('form#login');
			await form.locator('[name="user"]').fill(env('ADMIN_USER'));
			await form.locator('[name="password"]').fill('not the password');
			await form.getByRole('button', { name: 'Log in' }).click();
			await page.getByText('Wrong user name or password').first().waitFor();
			must(!page.url().startsWith(BASE + '/admin'), 'went on to ' + page.url());
		});
		await login(page);
		await step('the overview shows the list', async () => {
			await page.getByRole('link', { name: LIST }).first().waitFor();
			await shot(page, 'overview');
		});
	},

	// the other main pages, for their screenshots
	async pages(page) {
		await login(page);
		await page_ok(page, 'list-overview', admin('/'), LIST);
		await page_ok(page, 'keys', BASE + '/admin/keys', /keys/i);
		await page_ok(page, 'queue', BASE + '/admin/queue', /queue/i);
		await page_ok(page, 'bounces', admin('/bounces'), /bounces/i);
		// on a phone, wide tables scroll in their box and the page itself
		// does not scroll sideways (www/sealist.css); the overflow in pixels
		// is in the failure
		await page.setViewportSize({ width: 360, height: 740 });
		for (const p of ['members', 'settings', 'held']) {
			await step('on a 360 px wide screen the ' + p + ' page does not scroll sideways', async () => {
				status(await page.goto(admin('/' + p)), 200);
				await shot(page, p + '-narrow');
				const over = await page.evaluate(() =>
					document.documentElement.scrollWidth - document.documentElement.clientWidth);
				must(over <= 0, 'the page is ' + over + ' px wider than the screen');
			});
		}
		await page.setViewportSize({ width: 1280, height: 720 });
		await step('log out', async () => {
			await Promise.all([
				page.waitForURL(BASE + '/login'),
				page.locator('form#logout').getByRole('button', { name: 'Log out' }).click(),
			]);
			status(await page.goto(BASE + '/admin/'), 200);
			must(page.url().startsWith(BASE + '/login'), 'still in: ' + page.url());
		});
	},

	// 2. a setting changed in form#settings
	async settings(page) {
		await login(page);
		await page_ok(page, 'settings', admin('/settings'), /settings/i);
		await step('subject_prefix saved', async () => {
			const form = page.locator('form#settings');
			await form.locator('[name="subject_prefix"]').fill(env('PREFIX'));
			await Promise.all([
				page.waitForURL(/[?&]saved=1/),
				form.getByRole('button', { name: 'Save' }).click(),
			]);
			await page.getByText('Saved').first().waitFor();
		});
		await step('the form shows the new value', async () => {
			const v = await page.locator('form#settings [name="subject_prefix"]').inputValue();
			must(v === env('PREFIX'), 'the field says ' + JSON.stringify(v));
		});
	},

	// 3a. a member added with form#member-add
	async member_add(page) {
		await login(page);
		await page_ok(page, 'members', admin('/members'), /members/i);
		await step('add ' + env('ADDRESS'), async () => {
			const form = page.locator('form#member-add');
			await form.locator('[name="address"]').fill(env('ADDRESS'));
			await form.locator('[name="name"]').fill(env('NAME'));
			await form.getByRole('button', { name: 'Add' }).click();
			await page.waitForLoadState();
		});
		await step('the address is in table#members', async () => {
			await page.goto(admin('/members?q=' + encodeURIComponent(env('ADDRESS'))));
			await page.locator('table#members td.address', { hasText: env('ADDRESS') }).first().waitFor();
			await shot(page, 'members-search');
		});
	},

	// 3b. the same member removed with its checkbox in form#member-remove
	async member_remove(page) {
		await login(page);
		const addr = env('ADDRESS');
		await step('the member is listed', async () => {
			status(await page.goto(admin('/members?q=' + encodeURIComponent(addr))), 200);
			await page.locator('table#members td.address', { hasText: addr }).first().waitFor();
		});
		await step('tick it and "Remove selected"', async () => {
			const form = page.locator('form#member-remove');
			await form.locator('input[type="checkbox"][name="address"][value="' + addr + '"]').check();
			await form.getByRole('button', { name: 'Remove selected' }).click();
			await page.waitForLoadState();
		});
		await step('it is gone from table#members', async () => {
			await page.goto(admin('/members?q=' + encodeURIComponent(addr)));
			await page.locator('table#members td.address', { hasText: addr }).first()
				.waitFor({ state: 'detached' });
		});
	},

	// 4. a held post approved in form#held
	async held(page) {
		await login(page);
		const id = env('HELD_ID');
		const box = page.locator('form#held input[type="checkbox"][name="id"][value="' + id + '"]');
		await step('held page', async () => {
			status(await page.goto(admin('/held')), 200);
			await box.waitFor();
			await shot(page, 'held');
		});
		await step('the post by itself', async () => {
			status(await page.goto(admin('/held/' + id)), 200);
			await page.locator('pre').first().waitFor();
			await shot(page, 'held-post');
		});
		await step('tick post ' + id + ' and "Approve"', async () => {
			await page.goto(admin('/held'));
			await box.check();
			await page.locator('form#held').getByRole('button', { name: 'Approve', exact: true }).click();
			await page.waitForLoadState();
		});
		await step('it is no longer held', async () => {
			await page.goto(admin('/held'));
			await box.waitFor({ state: 'detached' });
		});
	},

	// 5a. the public list page's subscribe form
	async subscribe(page) {
		await page_ok(page, 'list', BASE + '/lists/' + LIST + '/', LIST);
		await step('subscribe ' + env('ADDRESS'), async () => {
			await page.locator('[name="email"]').fill(env('ADDRESS'));
			await page.getByRole('button', { name: 'Subscribe' }).click();
			await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
			await shot(page, 'subscribed');
		});
	},

	// 5b/6a. a link from a mail: GET shows one button and (browser.sh checks)
	// changes nothing
	async link_open(page) {
		await step('the link shows one button', async () => {
			status(await page.goto(env('URL')), 200);
			const n = await page.getByRole('button').count();
			// the layout of a logged-out page has no other button
			must(n === 1, n + ' buttons');
			await shot(page, env('SHOT'));
		});
	},

	// 5c/6b. the link's button pressed: the heading says what happened
	async link_press(page) {
		await step('press the button', async () => {
			status(await page.goto(env('URL')), 200);
			await page.getByRole('button').click();
			await page.getByRole('heading', { name: env('HEADING') }).waitFor();
			await shot(page, env('SHOT') + '-done');
		});
	},

	// 7. the login form with the keyboard only: Tab to the user field,
	// Tab to the password, Enter
	async keyboard(page) {
		await step('the login page', async () => {
			status(await page.goto(BASE + '/login'), 200);
		});
		const active = () => page.evaluate(() => {
			const e = document.activeElement;
			return e ? e.getAttribute('name') || e.tagName : '';
		});
		await step('Tab reaches the user field', async () => {
			for (let i = 0; i < 20 && (await active()) !== 'user'; i++)
				await page.keyboard.press('Tab');
			must((await active()) === 'user', 'focus is on ' + (await active()));
			await page.keyboard.type(env('ADMIN_USER'));
		});
		await step('Tab goes on to the password field', async () => {
			await page.keyboard.press('Tab');
			must((await active()) === 'password', 'focus is on ' + (await active()));
			await page.keyboard.type(env('ADMIN_PASS'));
		});
		await step('Enter logs in', async () => {
			await Promise.all([
				page.waitForURL(BASE + '/admin/'),
				page.keyboard.press('Enter'),
			]);
			await page.getByRole('link', { name: LIST }).first().waitFor();
		});
	},

	// ---- H2: the DMARC report page of the scripted week (browser.sh imports
	// it); DMARC_DOMAIN, DMARC_END and DMARC_DAYS_JSON, the per-day figures
	// tests/oracle/dmarc_week.py read from the report files
	async dmarc(page) {
		const want = JSON.parse(env('DMARC_DAYS_JSON'));
		const url = BASE + '/admin/dmarc?domain=' + env('DMARC_DOMAIN') + '&end=' + env('DMARC_END');
		await login(page);
		await step('the navigation leads to the DMARC reports', async () => {
			await Promise.all([
				page.waitForURL(BASE + '/admin/dmarc'),
				page.getByRole('navigation', { name: 'Administration' })
					.getByRole('link', { name: 'DMARC reports' }).click(),
			]);
			await page.locator('tr[data-domain="' + env('DMARC_DOMAIN') + '"] a').first().waitFor();
		});
		await step('the week in the window form', async () => {
			const form = page.locator('form#dmarc-window');
			await page.goto(BASE + '/admin/dmarc?domain=' + env('DMARC_DOMAIN'));
			await form.getByLabel('Days').fill('7');
			await form.getByLabel('Last day (UTC)').fill(env('DMARC_END'));
			await Promise.all([
				page.waitForURL((u) => u.searchParams.get('end') === env('DMARC_END')),
				form.getByRole('button', { name: 'Show' }).click(),
			]);
			await page.getByRole('heading', { name: /DMARC reports/ }).first().waitFor();
		});
		await step('the chart has ' + want.length + ' bars with the figures of the files', async () => {
			const bars = await page.locator('#dmarc-chart svg rect.bar').evaluateAll((rs) =>
				rs.map((r) => ({ day: r.dataset.day, messages: Number(r.dataset.messages),
					pass: Number(r.dataset.pass) })));
			must(JSON.stringify(bars) === JSON.stringify(want),
				'bars ' + JSON.stringify(bars) + ', want ' + JSON.stringify(want));
			const title = await page.locator('#dmarc-chart svg > title').textContent();
			must(/passed DMARC/.test(title), 'the chart title is "' + title + '"');
		});
		await step('the bars are drawn: taller with a higher pass rate', async () => {
			const h = await page.locator('#dmarc-chart svg rect.bar').evaluateAll((rs) =>
				rs.map((r) => r.getBoundingClientRect().height));
			const rate = want.map((d) => d.pass / d.messages);
			for (let i = 1; i < h.length; i++)
				if (rate[i] > rate[i - 1] + 0.01)
					must(h[i] >= h[i - 1], 'day ' + i + ' is lower with a higher rate');
			must(h.every((x) => x > 0), 'a bar with no height: ' + h);
		});
		await step('the verdict names the failing receiver, the day and the cause', async () => {
			const v = await page.locator('#dmarc-verdict').textContent();
			must(v.includes('At Enterprise Outlook, DKIM failed for 12 of'), v);
			must(v.includes('It happened on 2026-11-04.'), v);
			must(v.includes('sealist key check ' + env('DMARC_DOMAIN')), v);
		});
		await step('the failing source is first, the list server marked', async () => {
			const first = await page.locator('#dmarc-sources tbody tr').first().getAttribute('data-ip');
			must(first === '203.0.113.66', 'first is ' + first);
			await page.locator('#dmarc-sources tr.ours .badge', { hasText: 'list server' }).first().waitFor();
			await shot(page, 'dmarc-week');
		});
		await page.setViewportSize({ width: 360, height: 740 });
		await step('on a 360 px wide screen the DMARC page does not scroll sideways', async () => {
			status(await page.goto(url), 200);
			await shot(page, 'dmarc-week-narrow');
			const over = await page.evaluate(() =>
				document.documentElement.scrollWidth - document.documentElement.clientWidth);
			must(over <= 0, 'the page is ' + over + ' px wider than the screen');
		});
	},
	// ---- end H2 ----
};

async function main() {
	const name = process.argv[2];
	if (!(name in flows)) {
		console.log('FAIL flow ' + name + ': no such flow');
		return 1;
	}
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		// we run as root, where Chromium's sandbox cannot start
		args: ['--no-sandbox'],
	});
	let rc = 0;
	try {
		// the daemon's certificate is the test's own, self-signed
		const context = await browser.newContext({ ignoreHTTPSErrors: true });
		context.setDefaultTimeout(TIMEOUT);
		const page = await context.newPage();
		await flows[name](page);
		await context.close();
	} catch (e) {
		if (!(e instanceof StepFailed))
			console.log('FAIL flow ' + name + ': ' + String(e.message || e).split('\n')[0]);
		rc = 1;
	} finally {
		await browser.close();
	}
	return rc;
}

main().then((rc) => { process.exitCode = rc; },
	(e) => { console.log('FAIL browser: ' + e.message); process.exitCode = 1; });
