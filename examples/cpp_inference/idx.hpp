// Reading MNIST's IDX files (gzip'd or not: zlib's gzread passes plain files through).
#pragma once

#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace idx {

struct Array {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;
};

// Reads an unsigned-byte IDX file: magic 0x00 0x00 0x08 rank, then rank big-endian sizes, then the bytes.
inline Array read(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot open " + path);
  auto read_exact = [&](void* dst, unsigned n) {
    if (gzread(f, dst, n) != int(n)) {
      gzclose(f);
      throw std::runtime_error(path + " is truncated or not an IDX file");
    }
  };
  unsigned char magic[4];
  read_exact(magic, 4);
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08) {
    gzclose(f);
    throw std::runtime_error(path + ": not an unsigned-byte IDX file");
  }
  Array a;
  size_t count = 1;
  for (int i = 0; i < magic[3]; ++i) {
    unsigned char b[4];
    read_exact(b, 4);
    a.dims.push_back((uint32_t(b[0]) << 24) | (b[1] << 16) | (b[2] << 8) | b[3]);
    count *= a.dims.back();
  }
  a.data.resize(count);
  read_exact(a.data.data(), unsigned(count));
  gzclose(f);
  return a;
}

// The file `name` in `dir`, gzip'd (name.gz) when only that exists.
inline std::string find(const std::string& dir, const std::string& name) {
  for (const std::string& candidate : {dir + "/" + name, dir + "/" + name + ".gz"}) {
    gzFile f = gzopen(candidate.c_str(), "rb");
    if (f) {
      gzclose(f);
      return candidate;
    }
  }
  throw std::runtime_error("neither " + name + " nor " + name + ".gz is in " + dir);
}

}  // namespace idx
