// Package e2e holds the end-to-end test: the real server, started as the
// command starts it, on a free port with a temporary database and the demo,
// driven through headless Chromium the way a visitor and an officer use it,
// with axe-core checking the pages against WCAG 2.1 AA.
//
// The test needs Chromium and axe-core:
//
//	apt-get install -y chromium   # gives /usr/bin/chromium
//	npm ci                        # gives node_modules/axe-core/axe.min.js
//
// Without them it skips, unless the environment sets CI.
package e2e
