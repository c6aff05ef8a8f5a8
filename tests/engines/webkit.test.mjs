// The cross-engine browser scenarios (scenarios.mjs) in webkit.
import { defineScenarios } from './scenarios.mjs';

defineScenarios('webkit');
