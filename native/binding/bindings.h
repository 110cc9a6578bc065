// The binding functions, one per kernel (bind_*.cc), registered by addon.cc.
#pragma once
#include <napi.h>

namespace kotoba {
namespace binding {

// dense kernels (bind_dense.cc)
void Gemm(const Napi::CallbackInfo& info);
Napi::Value PackedBSize(const Napi::CallbackInfo& info);
void PackB(const Napi::CallbackInfo& info);
void Attention(const Napi::CallbackInfo& info);
void AttentionBackward(const Napi::CallbackInfo& info);
void Softmax(const Napi::CallbackInfo& info);
void SoftmaxBackward(const Napi::CallbackInfo& info);
void LayerNorm(const Napi::CallbackInfo& info);
void LayerNormBackward(const Napi::CallbackInfo& info);
void RmsNorm(const Napi::CallbackInfo& info);
void RmsNormBackward(const Napi::CallbackInfo& info);
void Activation(const Napi::CallbackInfo& info);
void ActivationBackward(const Napi::CallbackInfo& info);
Napi::Value CrossEntropy(const Napi::CallbackInfo& info);
void CrossEntropyBackward(const Napi::CallbackInfo& info);
void AdamW(const Napi::CallbackInfo& info);
Napi::Value Embedding(const Napi::CallbackInfo& info);
void EmbeddingBackward(const Napi::CallbackInfo& info);
void DropoutMask(const Napi::CallbackInfo& info);
Napi::Value NormalFill(const Napi::CallbackInfo& info);

// strided elementwise kernels (bind_strided.cc)
void Binary(const Napi::CallbackInfo& info);
void Unary(const Napi::CallbackInfo& info);
void Where(const Napi::CallbackInfo& info);
void Copy(const Napi::CallbackInfo& info);
Napi::Value Reduce(const Napi::CallbackInfo& info);

}  // namespace binding
}  // namespace kotoba
