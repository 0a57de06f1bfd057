// Serves a SavedModel exported from Python through ferroflow's C API: classifies the MNIST test set, times
// one-sample inference, or runs any signature on .npy inputs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "ferroflow.hpp"
#include "idx.hpp"
#include "npy.hpp"

namespace {

const char* kUsage = R"(usage: cpp_inference --model DIR [options]

  --model DIR           a SavedModel directory (tf.saved_model.save, model.export, export_saved_model)
  --signature NAME      the signature to run (default: serving_default)
  --list                print the signatures with their inputs and outputs, then exit

MNIST (the default mode): classify the test images; the accuracy goes to standard output
  --data DIR            folder with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]
                        (default: $FERROFLOW_DATASETS/mnist)
  --count N             the first N test images (default: all 10,000)
  --batch-size B        images per run (default 32, as Keras's predict)
  --probs-out FILE.npy  write output 0 (N, classes) as float32
  --labels-out FILE     write the predicted labels, one per line
  --latency RUNS        instead: time RUNS one-image runs (after 100 warm-up runs), print the median
  --warmup-ms MS        with --latency: keep warming up until MS milliseconds have passed (default 0)

Any signature: --input NAME=FILE.npy (once per input) --outdir DIR writes DIR/OUTPUT_NAME.npy
)";

struct Args {
  std::string model, signature = "serving_default", data, probs_out, labels_out, outdir;
  std::vector<std::pair<std::string, std::string>> inputs;
  size_t count = 0, batch = 32, latency = 0, warmup_ms = 0;
  bool list = false;
};

size_t positive(const std::string& flag, const std::string& v) {
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (end == v.c_str() || *end || n <= 0) throw std::runtime_error(flag + " expects a positive integer, received '" + v + "'");
  return size_t(n);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "-h" || flag == "--help") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (flag == "--list") {
      a.list = true;
      continue;
    }
    if (i + 1 >= argc) throw std::runtime_error(flag + " needs a value\n\n" + kUsage);
    std::string v = argv[++i];
    if (flag == "--model") a.model = v;
    else if (flag == "--signature") a.signature = v;
    else if (flag == "--data") a.data = v;
    else if (flag == "--count") a.count = positive(flag, v);
    else if (flag == "--batch-size") a.batch = positive(flag, v);
    else if (flag == "--probs-out") a.probs_out = v;
    else if (flag == "--labels-out") a.labels_out = v;
    else if (flag == "--latency") a.latency = positive(flag, v);
    else if (flag == "--warmup-ms") a.warmup_ms = positive(flag, v);
    else if (flag == "--outdir") a.outdir = v;
    else if (flag == "--input") {
      size_t eq = v.find('=');
      if (eq == std::string::npos) throw std::runtime_error("--input expects NAME=FILE.npy, received '" + v + "'");
      a.inputs.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    } else throw std::runtime_error("unknown option '" + flag + "'\n\n" + kUsage);
  }
  if (a.model.empty()) throw std::runtime_error(std::string("--model is required\n\n") + kUsage);
  return a;
}

void list(const ferroflow::Model& model) {
  for (const ferroflow::Signature& s : model.signatures()) {
    std::cout << "signature '" << s.name() << "':\n";
    for (const auto* group : {&s.inputs, &s.outputs}) {
      for (const ferroflow::Spec& spec : *group)
        std::cout << "  " << (group == &s.inputs ? "input " : "output") << " " << spec.name << ": "
                  << ff_dtype_name(spec.dtype) << " " << spec.shape() << "\n";
    }
  }
}

// Runs a signature on .npy inputs given by name and writes each output to OUTDIR/NAME.npy.
void run_npy(const ferroflow::Signature& sig, const Args& args) {
  std::vector<npy::Array> arrays;
  std::vector<FfTensorView> views;
  for (const ferroflow::Spec& spec : sig.inputs) {
    auto it = std::find_if(args.inputs.begin(), args.inputs.end(), [&](const auto& p) { return p.first == spec.name; });
    if (it == args.inputs.end()) throw std::runtime_error("no --input for the signature's input '" + spec.name + "'");
    arrays.push_back(npy::read(it->second));
  }
  for (const npy::Array& a : arrays)
    views.push_back(FfTensorView{a.dtype, a.dims.size(), a.dims.data(), a.bytes.data(), a.bytes.size()});
  std::vector<ferroflow::Tensor> outputs = ferroflow::run_alloc(sig, views);
  for (size_t i = 0; i < outputs.size(); ++i) {
    const FfTensor* t = outputs[i].get();
    std::vector<int64_t> dims(ff_tensor_dims(t), ff_tensor_dims(t) + ff_tensor_rank(t));
    std::string path = args.outdir + "/" + sig.outputs[i].name + ".npy";
    npy::write(path, ff_tensor_dtype(t), dims, ff_tensor_data(t), ff_tensor_byte_size(t));
    std::cout << "output '" << sig.outputs[i].name << "': " << ff_dtype_name(ff_tensor_dtype(t)) << " -> " << path << "\n";
  }
}

struct Mnist {
  std::vector<float> images;  // n * pixels, scaled to [0, 1] as the Python side trains on
  std::vector<uint8_t> labels;
  size_t n = 0, pixels = 0;
};

Mnist load_mnist(const Args& args) {
  std::string dir = args.data;
  if (dir.empty()) {
    const char* root = std::getenv("FERROFLOW_DATASETS");
    if (!root) throw std::runtime_error("set FERROFLOW_DATASETS to the folder holding mnist/ (or pass --data DIR)");
    dir = std::string(root) + "/mnist";
  }
  idx::Array images = idx::read(idx::find(dir, "t10k-images-idx3-ubyte"));
  idx::Array labels = idx::read(idx::find(dir, "t10k-labels-idx1-ubyte"));
  if (images.dims.size() != 3 || labels.dims.size() != 1 || images.dims[0] != labels.dims[0])
    throw std::runtime_error("the MNIST files do not hold N images and N labels");
  Mnist m;
  m.n = std::min<size_t>(images.dims[0], args.count ? args.count : images.dims[0]);
  m.pixels = size_t(images.dims[1]) * images.dims[2];
  m.images.resize(m.n * m.pixels);
  for (size_t i = 0; i < m.images.size(); ++i) m.images[i] = images.data[i] / 255.0f;
  m.labels.assign(labels.data.begin(), labels.data.begin() + m.n);
  return m;
}

// The per-image dimensions the signature wants: its one float32 input's shape without the batch.
std::vector<int64_t> image_dims(const ferroflow::Signature& sig, size_t pixels) {
  if (sig.inputs.size() != 1 || sig.inputs[0].dtype != FF_FLOAT32 || sig.outputs.empty())
    throw std::runtime_error("MNIST mode needs a signature with one float32 input; use --input for others");
  const ferroflow::Spec& in = sig.inputs[0];
  std::vector<int64_t> dims(in.dims.begin() + (in.rank > 0 ? 1 : 0), in.dims.end());
  int64_t product = 1;
  for (int64_t d : dims) product *= d;
  if (in.rank < 1 || product != int64_t(pixels))
    throw std::runtime_error("input '" + in.name + "' has shape " + in.shape() + ", not a batch of 28x28 images");
  return dims;
}

// Runs batches of images through a signature, with its input view and output buffers allocated once.
class Runner {
 public:
  Runner(const ferroflow::Signature& sig, const Mnist& m, size_t max_rows, size_t classes)
      : sig_(sig), m_(m), classes_(classes), image_(image_dims(sig, m.pixels)), dims_(sig.outputs.size()),
        out_(sig.outputs.size()), scratch_(sig.outputs.size()) {
    in_dims_.push_back(0);
    in_dims_.insert(in_dims_.end(), image_.begin(), image_.end());
    in_.push_back(FfTensorView{FF_FLOAT32, in_dims_.size(), in_dims_.data(), nullptr, 0});
    for (size_t i = 0; i < out_.size(); ++i) {
      // Output 0 is the class scores; the others (class ids, ...) land in scratch space of 8 bytes a value.
      size_t per_row = i == 0 ? classes * sizeof(float) : 8;
      for (size_t d = 1; i > 0 && d < sig.outputs[i].dims.size(); ++d) per_row *= size_t(std::max<int64_t>(sig.outputs[i].dims[d], 1));
      scratch_[i].resize(max_rows * per_row);
      dims_[i].resize(8);
      out_[i] = FfOutputBuffer{scratch_[i].data(), scratch_[i].size(), dims_[i].data(), dims_[i].size(), 0, 0, 0};
    }
  }

  // Runs `rows` images starting at `first`; returns output 0 (rows * classes floats).
  const float* run(size_t first, size_t rows) {
    in_dims_[0] = int64_t(rows);
    in_[0].data = &m_.images[first * m_.pixels];
    in_[0].byte_size = rows * m_.pixels * sizeof(float);
    sig_.run(in_, out_);
    if (out_[0].dtype != FF_FLOAT32 || out_[0].rank != 2 || dims_[0][1] != int64_t(classes_))
      throw std::runtime_error("output 0 is not (batch, classes) float32");
    return reinterpret_cast<const float*>(scratch_[0].data());
  }

 private:
  const ferroflow::Signature& sig_;
  const Mnist& m_;
  size_t classes_;
  std::vector<int64_t> image_, in_dims_;
  std::vector<FfTensorView> in_;
  std::vector<std::vector<int64_t>> dims_;
  std::vector<FfOutputBuffer> out_;
  std::vector<std::vector<char>> scratch_;
};

int classify(const ferroflow::Signature& sig, const Args& args) {
  Mnist m = load_mnist(args);
  image_dims(sig, m.pixels);
  const ferroflow::Spec& out = sig.outputs[0];
  if (out.rank != 2 || out.dims[1] < 1) throw std::runtime_error("output '" + out.name + "' is not (batch, classes)");
  size_t classes = size_t(out.dims[1]);
  Runner runner(sig, m, args.latency ? 1 : args.batch, classes);
  if (args.latency) {
    // Warm-up: 100 runs, and for --warmup-ms at least that long (a serving process's steady state: the
    // scheduler has spread the library's threads over the cores). Timed runs continue the image order.
    size_t i = 0;
    auto warm_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args.warmup_ms);
    for (; i < 100 || std::chrono::steady_clock::now() < warm_until; ++i) runner.run(i % m.n, 1);
    std::vector<double> us;
    us.reserve(args.latency);
    for (size_t end = i + args.latency; i < end; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      runner.run(i % m.n, 1);
      auto t1 = std::chrono::steady_clock::now();
      us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    std::sort(us.begin(), us.end());
    std::printf("one-sample latency: median %.2f us, p10 %.2f us, p90 %.2f us (%zu runs)\n", us[us.size() / 2],
                us[us.size() / 10], us[us.size() * 9 / 10], us.size());
    return 0;
  }
  std::vector<float> all(m.n * classes);
  for (size_t first = 0; first < m.n; first += args.batch) {
    size_t rows = std::min(args.batch, m.n - first);
    const float* probs = runner.run(first, rows);
    std::copy(probs, probs + rows * classes, all.begin() + first * classes);
  }
  size_t correct = 0;
  std::vector<int> predicted(m.n);
  for (size_t i = 0; i < m.n; ++i) {
    const float* row = &all[i * classes];
    predicted[i] = int(std::max_element(row, row + classes) - row);
    correct += predicted[i] == m.labels[i];
  }
  if (!args.probs_out.empty())
    npy::write(args.probs_out, FF_FLOAT32, {int64_t(m.n), int64_t(classes)}, all.data(), all.size() * sizeof(float));
  if (!args.labels_out.empty()) {
    FILE* f = std::fopen(args.labels_out.c_str(), "w");
    if (!f) throw std::runtime_error("cannot write " + args.labels_out);
    for (int p : predicted) std::fprintf(f, "%d\n", p);
    std::fclose(f);
  }
  std::printf("accuracy: %.4f (%zu/%zu correct)\n", double(correct) / m.n, correct, m.n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Args args = parse(argc, argv);
    ferroflow::Model model(args.model);
    if (args.list) {
      list(model);
      return 0;
    }
    ferroflow::Signature sig = model.signature(args.signature);
    if (!args.inputs.empty() || !args.outdir.empty()) {
      if (args.outdir.empty()) throw std::runtime_error("--input needs --outdir DIR for the outputs");
      run_npy(sig, args);
      return 0;
    }
    return classify(sig, args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
