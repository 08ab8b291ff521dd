/* sim/version.h -- the version of this mmsim build.
 *
 * `git describe --always --dirty` of the source tree, taken by CMake at
 * every build (cmake/version.cmake writes it into the build folder only when
 * it changed, so an unchanged tree recompiles nothing); "unknown" when the
 * sources are not a git checkout.  Stored with every run (runs.version). */
#ifndef MMSIM_SIM_VERSION_H
#define MMSIM_SIM_VERSION_H
const char *sim_version(void);
#endif
