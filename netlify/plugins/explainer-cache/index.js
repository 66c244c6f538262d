// Keeps explainer's build cache between Netlify deploys: restored before the build, saved
// after a successful one. Every entry is keyed by the content it was made from, so a
// restored cache only saves work; it can never make the site stale.
// The folder is EXPLAINER_CACHE_DIR when the build sets it (under [build.environment]),
// else .cache in the base directory, where `explainer build` keeps it by default.
const folder = () => process.env.EXPLAINER_CACHE_DIR || ".cache";

module.exports = {
  async onPreBuild({ utils }) {
    await utils.cache.restore(folder());
  },
  async onPostBuild({ utils }) {
    await utils.cache.save(folder());
  },
};
