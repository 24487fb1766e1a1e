// Convolution backends for the digit networks' layers, side by side in one run, one thread:
// oneDNN's convolution primitives (forward training, backward data, backward weights) against the
// matrix products of the engine's OpenBLAS path (im2col; the products only, one big product over the
// batch; the unfolding itself is not counted, which favours OpenBLAS). The engine runs oneDNN with
// the layout it picks ("any"); this measurement is why.
//
//   gcc -O2 benchmarks/conv-backends.c -o /tmp/conv-backends -ldnnl -lopenblas   # libdnnl-dev, libopenblas-dev
//   OMP_NUM_THREADS=1 /tmp/conv-backends any          # oneDNN picks its own blocked layout (OpenBLAS: this machine's kernels)
//   OMP_NUM_THREADS=1 OPENBLAS_CORETYPE=SkylakeX /tmp/conv-backends any    # the same with OpenBLAS's AVX-512 kernels
//   OMP_NUM_THREADS=1 /tmp/conv-backends              # oneDNN on plain NCHW, as the engine stores tensors
//   OMP_NUM_THREADS=1 /tmp/conv-backends winograd   # one image, inference: direct against Winograd kernels
//
// Batch 32 = one worker's half of a 64-image training batch. Rows: the shipped network's five
// convolutions (28x28 1->32, 28x28 32->32, 14x14 32->64, 14x14 64->64, 7x7 64->128), then the
// baseline network's two.
#include <dnnl.h>
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
extern void openblas_set_num_threads(int);
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#define CK(x) do{dnnl_status_t s_=(x); if(s_!=dnnl_success){printf("err %d at %s:%d\n",s_,__FILE__,__LINE__);exit(1);}}while(0)
static dnnl_engine_t eng; static dnnl_stream_t st;
static dnnl_memory_t mk(const dnnl_memory_desc_t*md){dnnl_memory_t m;CK(dnnl_memory_create(&m,md,eng,DNNL_MEMORY_ALLOCATE));
  void*p;dnnl_memory_get_data_handle(m,&p);memset(p,0,dnnl_memory_desc_get_size(md));return m;}
static double timeit(dnnl_primitive_t p,int nargs,dnnl_exec_arg_t*a){for(int i=0;i<3;i++)CK(dnnl_primitive_execute(p,st,nargs,a));dnnl_stream_wait(st);
  int r=0;double t0=now();while(now()-t0<0.4){CK(dnnl_primitive_execute(p,st,nargs,a));r++;}dnnl_stream_wait(st);return (now()-t0)/r;}
void run(int N,int C,int H,int O,int K,int P,const char*fmt_tag_any){
  int OH=H+2*P-K+1;
  dnnl_memory_desc_t s,w,b,d;dnnl_dims_t sd={N,C,H,H},wd={O,C,K,K},bd={O},dd={N,O,OH,OH};
  dnnl_format_tag_t tag = fmt_tag_any? dnnl_format_tag_any: dnnl_nchw; dnnl_format_tag_t wtag = fmt_tag_any? dnnl_format_tag_any: dnnl_oihw;
  CK(dnnl_memory_desc_init_by_tag(&s,4,sd,dnnl_f32,tag));CK(dnnl_memory_desc_init_by_tag(&w,4,wd,dnnl_f32,wtag));
  CK(dnnl_memory_desc_init_by_tag(&b,1,bd,dnnl_f32,dnnl_x));CK(dnnl_memory_desc_init_by_tag(&d,4,dd,dnnl_f32,tag));
  dnnl_dims_t str={1,1},pl={P,P},pr={P,P};
  dnnl_convolution_desc_t cd;CK(dnnl_convolution_forward_desc_init(&cd,dnnl_forward_training,dnnl_convolution_direct,&s,&w,&b,&d,str,pl,pr));
  dnnl_primitive_desc_t fpd;CK(dnnl_primitive_desc_create(&fpd,&cd,NULL,eng,NULL));
  const char*impl;dnnl_primitive_desc_query(fpd,dnnl_query_impl_info_str,0,&impl);
  dnnl_memory_t ms=mk(dnnl_primitive_desc_query_md(fpd,dnnl_query_src_md,0)),mw=mk(dnnl_primitive_desc_query_md(fpd,dnnl_query_weights_md,0)),
    mb=mk(dnnl_primitive_desc_query_md(fpd,dnnl_query_weights_md,1)),md=mk(dnnl_primitive_desc_query_md(fpd,dnnl_query_dst_md,0));
  dnnl_primitive_t fp;CK(dnnl_primitive_create(&fp,fpd));
  dnnl_exec_arg_t fa[]={{DNNL_ARG_SRC,ms},{DNNL_ARG_WEIGHTS,mw},{DNNL_ARG_BIAS,mb},{DNNL_ARG_DST,md}};
  double tf=timeit(fp,4,fa);
  dnnl_convolution_desc_t bdd;CK(dnnl_convolution_backward_data_desc_init(&bdd,dnnl_convolution_direct,&s,&w,&d,str,pl,pr));
  dnnl_primitive_desc_t bdpd;CK(dnnl_primitive_desc_create(&bdpd,&bdd,NULL,eng,fpd));
  dnnl_memory_t mds=mk(dnnl_primitive_desc_query_md(bdpd,dnnl_query_diff_src_md,0)),mdd=mk(dnnl_primitive_desc_query_md(bdpd,dnnl_query_diff_dst_md,0));
  dnnl_memory_t mw2=mk(dnnl_primitive_desc_query_md(bdpd,dnnl_query_weights_md,0));
  dnnl_primitive_t bdp;CK(dnnl_primitive_create(&bdp,bdpd));
  dnnl_exec_arg_t ba[]={{DNNL_ARG_DIFF_SRC,mds},{DNNL_ARG_WEIGHTS,mw2},{DNNL_ARG_DIFF_DST,mdd}};
  double tbd=timeit(bdp,3,ba);
  dnnl_convolution_desc_t bwd;CK(dnnl_convolution_backward_weights_desc_init(&bwd,dnnl_convolution_direct,&s,&w,&b,&d,str,pl,pr));
  dnnl_primitive_desc_t bwpd;CK(dnnl_primitive_desc_create(&bwpd,&bwd,NULL,eng,fpd));
  dnnl_memory_t s3=mk(dnnl_primitive_desc_query_md(bwpd,dnnl_query_src_md,0)),dw=mk(dnnl_primitive_desc_query_md(bwpd,dnnl_query_diff_weights_md,0)),
    db=mk(dnnl_primitive_desc_query_md(bwpd,dnnl_query_diff_weights_md,1)),dd3=mk(dnnl_primitive_desc_query_md(bwpd,dnnl_query_diff_dst_md,0));
  dnnl_primitive_t bwp;CK(dnnl_primitive_create(&bwp,bwpd));
  dnnl_exec_arg_t wa[]={{DNNL_ARG_SRC,s3},{DNNL_ARG_DIFF_WEIGHTS,dw},{DNNL_ARG_DIFF_BIAS,db},{DNNL_ARG_DIFF_DST,dd3}};
  double tbw=timeit(bwp,4,wa);
  // im2col+gemm equivalents (GEMM only, one big product over the batch)
  int ckk=C*K*K, n=N*OH*OH; float*A=calloc((size_t)O*ckk,4),*B=calloc((size_t)ckk*n,4),*Cm=calloc((size_t)O*n,4);
  double t0=now();int r=0;while(now()-t0<0.4){cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,O,n,ckk,1,A,ckk,B,n,0,Cm,n);r++;}double gf=(now()-t0)/r;
  t0=now();r=0;while(now()-t0<0.4){cblas_sgemm(CblasRowMajor,CblasTrans,CblasNoTrans,ckk,n,O,1,A,ckk,Cm,n,0,B,n);r++;}double gd=(now()-t0)/r;
  t0=now();r=0;while(now()-t0<0.4){cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasTrans,O,ckk,n,1,Cm,n,B,n,0,A,ckk);r++;}double gw=(now()-t0)/r;
  double fl=2.0*O*ckk*n/1e9;
  printf("N=%d %dx%d %d->%d %s: dnnl fwd %.2f bwdD %.2f bwdW %.2f ms (%.0f/%.0f/%.0f GF/s) | blas %.2f %.2f %.2f ms (%.0f/%.0f/%.0f GF/s) [%s]\n",
    N,H,H,C,O,fmt_tag_any?"any":"nchw",tf*1e3,tbd*1e3,tbw*1e3,fl/tf,fl/tbd,fl/tbw,gf*1e3,gd*1e3,gw*1e3,fl/gf,fl/gd,fl/gw,impl);
  free(A);free(B);free(Cm);
}
// One image through one layer at inference, as the app predicts: oneDNN's direct kernel against its
// Winograd kernel (what the engine uses for inference networks' 3x3 layers over 16+ channels).
void single(int C,int H,int O,dnnl_alg_kind_t alg){
  dnnl_memory_desc_t s,w,b,d;dnnl_dims_t sd={1,C,H,H},wd={O,C,3,3},bd={O},dd={1,O,H,H};
  CK(dnnl_memory_desc_init_by_tag(&s,4,sd,dnnl_f32,dnnl_format_tag_any));CK(dnnl_memory_desc_init_by_tag(&w,4,wd,dnnl_f32,dnnl_format_tag_any));
  CK(dnnl_memory_desc_init_by_tag(&b,1,bd,dnnl_f32,dnnl_x));CK(dnnl_memory_desc_init_by_tag(&d,4,dd,dnnl_f32,dnnl_format_tag_any));
  dnnl_dims_t str={1,1},pad={1,1};
  dnnl_convolution_desc_t cd;CK(dnnl_convolution_forward_desc_init(&cd,dnnl_forward_inference,alg,&s,&w,&b,&d,str,pad,pad));
  dnnl_primitive_desc_t pd;if(dnnl_primitive_desc_create(&pd,&cd,NULL,eng,NULL)!=dnnl_success){printf("1 image %dx%d %d->%d %s: not implemented\n",H,H,C,O,alg==dnnl_convolution_winograd?"winograd":"direct");return;}
  const char*impl;dnnl_primitive_desc_query(pd,dnnl_query_impl_info_str,0,&impl);
  dnnl_memory_t ms=mk(dnnl_primitive_desc_query_md(pd,dnnl_query_src_md,0)),mw=mk(dnnl_primitive_desc_query_md(pd,dnnl_query_weights_md,0)),
    mb=mk(dnnl_primitive_desc_query_md(pd,dnnl_query_weights_md,1)),md=mk(dnnl_primitive_desc_query_md(pd,dnnl_query_dst_md,0));
  dnnl_primitive_t p;CK(dnnl_primitive_create(&p,pd));
  dnnl_exec_arg_t a[]={{DNNL_ARG_SRC,ms},{DNNL_ARG_WEIGHTS,mw},{DNNL_ARG_BIAS,mb},{DNNL_ARG_DST,md}};
  double t=timeit(p,4,a);
  printf("1 image %dx%d %d->%d %s: %.1f us (%.0f GF/s) [%s]\n",H,H,C,O,alg==dnnl_convolution_winograd?"winograd":"direct",t*1e6,2.0*O*C*9*H*H/t/1e9,impl);
}
int main(int argc,char**argv){openblas_set_num_threads(1);
  CK(dnnl_engine_create(&eng,dnnl_cpu,0));CK(dnnl_stream_create(&st,eng,dnnl_stream_default_flags));
  if(argc>1&&!strcmp(argv[1],"winograd")){int L[5][3]={{1,32,28},{32,32,28},{32,64,14},{64,64,14},{64,128,7}};
    for(int l=0;l<5;l++){single(L[l][0],L[l][2],L[l][1],dnnl_convolution_direct);single(L[l][0],L[l][2],L[l][1],dnnl_convolution_winograd);}
    return 0;}
  int N=32; const char* any = argc>1? "any": NULL;
  run(N,1,28,32,3,1,any); run(N,32,28,32,3,1,any); run(N,32,14,64,3,1,any); run(N,64,14,64,3,1,any); run(N,64,7,128,3,1,any);
  run(N,1,28,32,3,0,any); run(N,32,13,64,3,0,any);
}
