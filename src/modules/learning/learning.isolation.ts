import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { certificateAndScormFixtures } from './learning.certificates.fixtures.ts';

// Objects of tenant B for every learning route that takes an id (src/platform/http/routes.test.ts).
export const isolationFixtures: IsolationFixtures = async (h) => ({
  ...(await certificateAndScormFixtures(h)),
});
