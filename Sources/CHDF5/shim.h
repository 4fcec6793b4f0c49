#include <hdf5.h>
// HDF5's type ids, flags and H5E_DEFAULT are macros Swift cannot import; these expose them.
static inline hid_t refer_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t refer_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t refer_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t refer_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t refer_h5s_all(void) { return H5S_ALL; }
static inline void refer_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, 0, 0); }
static inline unsigned refer_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned refer_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
