/*
 * jswrap_microlearn.h — declarations of the Espruino built-ins in
 * jswrap_microlearn.c (Espruino's generated jswrapper.c includes this header
 * for every wrapper source).
 */
#ifndef JSWRAP_MICROLEARN_H
#define JSWRAP_MICROLEARN_H

#include "jsvar.h"

int jswrap_microlearn_dot(JsVar *args);
void jswrap_microlearn_matvec(JsVar *args);
void jswrap_microlearn_matTvec(JsVar *args);
void jswrap_microlearn_axpy(JsVar *args);
void jswrap_microlearn_axpyWide(JsVar *args);
void jswrap_microlearn_gerWide(JsVar *args);
void jswrap_microlearn_scale(JsVar *y, JsVar *yo, JsVar *n, JsVar *alpha);
int jswrap_microlearn_sqdist(JsVar *args);
void jswrap_microlearn_sqdistMany(JsVar *args);
void jswrap_microlearn_welford(JsVar *args);
void jswrap_microlearn_gerAdam(JsVar *args);
int jswrap_microlearn_argmin(JsVar *a, JsVar *ao, JsVar *n);
int jswrap_microlearn_argmax(JsVar *a, JsVar *ao, JsVar *n);
int jswrap_microlearn_toQ(JsVar *x, JsVar *n, JsVar *out);
int jswrap_microlearn_sgdLinear(JsVar *args);
int jswrap_microlearn_toRaw(JsVar *args);
int jswrap_microlearn_sgdLinearReal(JsVar *args);
int jswrap_microlearn_kmeansLearn(JsVar *args);
void jswrap_microlearn_denseForward(JsVar *args);
void jswrap_microlearn_denseBackward(JsVar *args);
int jswrap_microlearn_kmeansNearest(JsVar *args);
int jswrap_microlearn_ringWrite(JsVar *args);
void jswrap_microlearn_winStats(JsVar *args);
void jswrap_microlearn_fft(JsVar *args);
int jswrap_microlearn_centroid(JsVar *re, JsVar *im, JsVar *lo, JsVar *hi);
int jswrap_microlearn_analytic(JsVar *args);
void jswrap_microlearn_magnitude(JsVar *re, JsVar *im, JsVar *n, JsVar *out);

#endif
