import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The suite must pass on a busy machine (CI shares two cores with Prometheus, Chromium and the dev
// app). Every wait in these tests is on a real condition (findBy*/waitFor on what the page shows),
// so a longer upper bound only matters when the machine is slow; it never hides a wrong answer.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
