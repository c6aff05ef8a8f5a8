// The cross-engine scenarios (scenarios.mjs) in Chromium against oidc-provider 9.
import { defineScenarios } from './scenarios.mjs';

defineScenarios('chromium', { provider: 9, glewlwyd: false }); // Glewlwyd: in chromium.test.mjs
