// Reading and writing NumPy .npy files (format 1.0, little-endian, C order), for the example's inputs and outputs.
#pragma once

#include <cctype>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ferroflow.h"

namespace npy {

struct Array {
  FfDType dtype = FF_FLOAT32;
  std::vector<int64_t> dims;
  std::vector<char> bytes;
};

struct Descr {
  const char* text;
  FfDType dtype;
};
const Descr kDescrs[] = {{"<f4", FF_FLOAT32}, {"<f8", FF_FLOAT64}, {"<i4", FF_INT32}, {"<i8", FF_INT64},
                         {"|u1", FF_UINT8},   {"|i1", FF_INT8},    {"<i2", FF_INT16}, {"<u2", FF_UINT16},
                         {"<u4", FF_UINT32},  {"<u8", FF_UINT64},  {"|b1", FF_BOOL}};

inline std::string descr_of(FfDType dtype) {
  for (const Descr& d : kDescrs)
    if (d.dtype == dtype) return d.text;
  throw std::runtime_error(std::string("no .npy type for dtype ") + ff_dtype_name(dtype));
}

// The text after `key` in the header dict, up to the next comma at depth 0.
inline std::string header_value(const std::string& header, const std::string& key) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos) throw std::runtime_error("the .npy header has no '" + key + "'");
  at = header.find(':', at) + 1;
  int depth = 0;
  size_t end = at;
  for (; end < header.size(); ++end) {
    char c = header[end];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if ((c == ',' && depth == 0) || c == '}') break;
  }
  return header.substr(at, end - at);
}

inline Array read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + path);
  char magic[8];
  f.read(magic, 8);
  if (!f || std::memcmp(magic, "\x93NUMPY", 6) != 0) throw std::runtime_error(path + " is not a .npy file");
  uint32_t header_len = 0;
  if (magic[6] == 1) {
    unsigned char b[2];
    f.read(reinterpret_cast<char*>(b), 2);
    header_len = b[0] | (b[1] << 8);
  } else {
    unsigned char b[4];
    f.read(reinterpret_cast<char*>(b), 4);
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
  }
  std::string header(header_len, '\0');
  f.read(&header[0], header_len);
  Array a;
  std::string descr = header_value(header, "descr");
  bool found = false;
  for (const Descr& d : kDescrs)
    if (descr.find(d.text) != std::string::npos || descr.find(std::string("=") + (d.text + 1)) != std::string::npos) {
      a.dtype = d.dtype;
      found = true;
    }
  if (!found) throw std::runtime_error(path + ": unsupported dtype " + descr);
  if (header_value(header, "fortran_order").find("True") != std::string::npos)
    throw std::runtime_error(path + ": Fortran order is not supported");
  std::string shape = header_value(header, "shape");
  size_t count = 1;
  for (size_t i = 0; i < shape.size();) {
    if (std::isdigit(static_cast<unsigned char>(shape[i]))) {
      size_t used = 0;
      int64_t d = std::stoll(shape.substr(i), &used);
      a.dims.push_back(d);
      count *= size_t(d);
      i += used;
    } else {
      ++i;
    }
  }
  a.bytes.resize(count * ff_dtype_size(a.dtype));
  f.read(a.bytes.data(), a.bytes.size());
  if (!f) throw std::runtime_error(path + " is truncated");
  return a;
}

inline void write(const std::string& path, FfDType dtype, const std::vector<int64_t>& dims, const void* data,
                  size_t byte_size) {
  std::string shape = "(";
  for (size_t i = 0; i < dims.size(); ++i) shape += std::to_string(dims[i]) + (dims.size() == 1 || i + 1 < dims.size() ? "," : "");
  shape += ")";
  std::string header = "{'descr': '" + descr_of(dtype) + "', 'fortran_order': False, 'shape': " + shape + ", }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  std::ofstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot write " + path);
  f.write("\x93NUMPY\x01\x00", 8);
  const char len[2] = {char(header.size() & 0xff), char(header.size() >> 8)};
  f.write(len, 2);
  f.write(header.data(), header.size());
  f.write(static_cast<const char*>(data), byte_size);
  if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace npy
