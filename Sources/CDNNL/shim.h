#include <dnnl.h>

// oneDNN runs its primitives on OpenMP (Debian's libdnnl links libgomp). The engine parallelizes
// across the batch itself, so every thread that calls oneDNN asks OpenMP for one thread; the
// setting is per calling thread. Declared here because GCC's omp.h is not on clang's path.
void omp_set_num_threads(int);
