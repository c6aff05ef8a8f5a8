// The cross-engine browser scenarios (scenarios.mjs) in firefox.
import { defineScenarios } from './scenarios.mjs';

defineScenarios('firefox');
