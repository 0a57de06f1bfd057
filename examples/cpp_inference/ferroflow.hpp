// A small C++ layer over ferroflow's C API (ferroflow.h): RAII handles, errors as exceptions.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ferroflow.h"

namespace ferroflow {

// A failed call: the C API's status code and message.
class Error : public std::runtime_error {
 public:
  Error(FfCode code, const std::string& message)
      : std::runtime_error(std::string(ff_code_name(code)) + ": " + message), code(code) {}
  FfCode code;
};

// Throws if `code` is not FF_OK, taking ownership of `error`.
inline void check(FfCode code, FfError* error) {
  if (code == FF_OK) return;
  std::string message = ff_error_message(error);
  ff_error_free(error);
  throw Error(code, message);
}

// An input or output of a signature, copied out of the model.
struct Spec {
  std::string name;
  FfDType dtype;
  int64_t rank;                // -1: unknown rank
  std::vector<int64_t> dims;   // -1: any size (the batch)

  explicit Spec(const FfTensorSpec* s)
      : name(s->name), dtype(s->dtype), rank(s->rank),
        dims(s->rank > 0 ? std::vector<int64_t>(s->dims, s->dims + s->rank) : std::vector<int64_t>()) {}

  std::string shape() const {
    if (rank < 0) return "<unknown>";
    std::string out = "(";
    for (int64_t i = 0; i < rank; ++i) {
      out += (dims[i] < 0 ? std::string("None") : std::to_string(dims[i]));
      if (i + 1 < rank || rank == 1) out += ", ";
    }
    if (rank == 1) out.resize(out.size() - 1);
    return out + ")";
  }
};

// One signature of a loaded model; valid while the model lives.
class Signature {
 public:
  explicit Signature(const FfSignature* s) : s_(s) {
    for (size_t i = 0; i < ff_signature_input_count(s); ++i) inputs.emplace_back(ff_signature_input(s, i));
    for (size_t i = 0; i < ff_signature_output_count(s); ++i) outputs.emplace_back(ff_signature_output(s, i));
  }
  std::string name() const { return ff_signature_name(s_); }
  const FfSignature* get() const { return s_; }

  // Runs on caller-owned buffers (see FfOutputBuffer in ferroflow.h).
  void run(const std::vector<FfTensorView>& in, std::vector<FfOutputBuffer>& out) const {
    FfError* error = nullptr;
    FfCode code = ff_signature_run(s_, in.data(), in.size(), out.data(), out.size(), &error);
    check(code, error);  // not check(ff_signature_run(..., &error), error): argument order is unspecified
  }

  std::vector<Spec> inputs, outputs;

 private:
  const FfSignature* s_;
};

// A loaded SavedModel directory.
class Model {
 public:
  explicit Model(const std::string& dir) {
    FfError* error = nullptr;
    m_ = ff_model_load(dir.c_str(), &error);
    if (!m_) check(ff_error_code(error), error);  // error is set before this line runs
  }
  ~Model() { ff_model_free(m_); }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  std::vector<Signature> signatures() const {
    std::vector<Signature> out;
    for (size_t i = 0; i < ff_model_signature_count(m_); ++i) {
      FfError* error = nullptr;
      const FfSignature* s = ff_model_signature(m_, i, &error);
      if (!s) check(ff_error_code(error), error);
      out.emplace_back(s);
    }
    return out;
  }

  Signature signature(const std::string& name) const {
    FfError* error = nullptr;
    const FfSignature* s = ff_model_find_signature(m_, name.c_str(), &error);
    if (!s) check(ff_error_code(error), error);
    return Signature(s);
  }

 private:
  FfModel* m_ = nullptr;
};

// A library-allocated result (ff_signature_run_alloc), freed when it goes out of scope.
using Tensor = std::unique_ptr<FfTensor, decltype(&ff_tensor_free)>;

// Runs a signature and returns library-allocated outputs, whatever their shapes.
inline std::vector<Tensor> run_alloc(const Signature& sig, const std::vector<FfTensorView>& in) {
  std::vector<FfTensor*> raw(sig.outputs.size(), nullptr);
  FfError* error = nullptr;
  FfCode code = ff_signature_run_alloc(sig.get(), in.data(), in.size(), raw.data(), raw.size(), &error);
  check(code, error);
  std::vector<Tensor> out;
  for (FfTensor* t : raw) out.emplace_back(t, &ff_tensor_free);
  return out;
}

}  // namespace ferroflow
