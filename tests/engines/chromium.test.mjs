// The cross-engine browser scenarios (scenarios.mjs) in chromium.
import { defineScenarios } from './scenarios.mjs';

defineScenarios('chromium');
