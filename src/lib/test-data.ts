// The monorepo's tests import the test-data generator as `../../../lib/test-data` (its
// packages/destination-actions/src/lib/test-data.ts); this re-export gives the destination's tests the same path
// here, so they drop into the monorepo without an edit. Not part of the build (tsconfig.build.json).
export * from '@segment/action-destinations/dist/lib/test-data'
