//! Classifies MNIST test digits with a model exported from Python by `Model.export`, with no Python involved.

mod idx;

use ferroflow_core::serving::{npy, SavedModel};
use ferroflow_core::Tensor;
use std::io::Write;
use std::path::PathBuf;

const USAGE: &str =
    "usage: rust_inference --model DIR [--count N] [--batch-size B] [--data DIR] [--out FILE] \
[--probs-out FILE.npy]

  --model DIR          a directory written by model.export(DIR) in Python
  --count N            classify the first N test digits (default: all 10,000)
  --batch-size B       images per forward pass (default 32, as Keras's predict)
  --data DIR           folder with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]
                       (default: $FERROFLOW_DATASETS/mnist)
  --out FILE           write the predicted labels there, one per line (default: standard output)
  --probs-out FILE     write the model's outputs as a float32 .npy array of shape (N, classes)

The accuracy against the test labels goes to standard error.";

struct Args {
    model: PathBuf,
    count: Option<usize>,
    batch_size: usize,
    data: Option<PathBuf>,
    out: Option<PathBuf>,
    probs_out: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args =
        Args { model: PathBuf::new(), count: None, batch_size: 32, data: None, out: None, probs_out: None };
    let mut model = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))?;
        let number = |v: &str| {
            v.parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("{flag} expects a positive integer, received '{v}'"))
        };
        match flag.as_str() {
            "--model" => model = Some(PathBuf::from(value)),
            "--count" => args.count = Some(number(&value)?),
            "--batch-size" => args.batch_size = number(&value)?,
            "--data" => args.data = Some(PathBuf::from(value)),
            "--out" => args.out = Some(PathBuf::from(value)),
            "--probs-out" => args.probs_out = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option '{other}'\n\n{USAGE}")),
        }
    }
    args.model = model.ok_or_else(|| format!("--model is required\n\n{USAGE}"))?;
    Ok(args)
}

fn data_dir(args: &Args) -> Result<PathBuf, String> {
    if let Some(d) = &args.data {
        return Ok(d.clone());
    }
    match std::env::var_os("FERROFLOW_DATASETS") {
        Some(root) => Ok(PathBuf::from(root).join("mnist")),
        None => Err("set FERROFLOW_DATASETS to the folder holding mnist/ (or pass --data DIR)".into()),
    }
}

/// The per-image dimensions the model wants: its input shape without the batch, holding 28 * 28 values.
fn image_dims(model: &SavedModel, pixels: usize) -> Result<Vec<usize>, String> {
    let shape = model.input_shape();
    let dims = shape.dims.as_ref().and_then(|d| d[1..].iter().copied().collect::<Option<Vec<usize>>>());
    match dims {
        Some(d) if d.iter().product::<usize>() == pixels => Ok(d),
        _ => Err(format!(
            "the model's input shape is {shape}; expected a batch of images with {pixels} pixels each"
        )),
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let model = SavedModel::load(&args.model).map_err(|e| e.to_string())?;
    let dir = data_dir(&args)?;
    let images = idx::load(&idx::find(&dir, "t10k-images-idx3-ubyte")?, 3)?;
    let labels = idx::load(&idx::find(&dir, "t10k-labels-idx1-ubyte")?, 1)?;
    let pixels = images.dims[1] * images.dims[2];
    let available = images.dims[0].min(labels.dims[0]);
    let count = args.count.unwrap_or(available);
    if count > available {
        return Err(format!("--count {count} is more than the {available} test images"));
    }
    let dims = image_dims(&model, pixels)?;
    let mut predicted = Vec::with_capacity(count);
    let mut probs: Vec<f32> = Vec::new();
    let mut classes = 0;
    for start in (0..count).step_by(args.batch_size) {
        let n = args.batch_size.min(count - start);
        // Same scaling as the Python hello-world (x / 255.0): the f32 division rounds like NumPy's f64 one cast to f32.
        let x: Vec<f32> =
            images.data[start * pixels..(start + n) * pixels].iter().map(|&p| p as f32 / 255.0).collect();
        let shape: Vec<usize> = std::iter::once(n).chain(dims.iter().copied()).collect();
        let x = Tensor::from_vec(&shape, x).map_err(|e| e.to_string())?;
        let y = model.predict(&x).map_err(|e| e.to_string())?;
        let y = y.array::<f32>().map_err(|e| format!("the model's output: {e}"))?;
        if y.ndim() != 2 || y.shape()[0] != n {
            return Err(format!("expected an output of shape ({n}, classes), received {:?}", y.shape()));
        }
        classes = y.shape()[1];
        for row in y.outer_iter() {
            // First maximum wins, as numpy.argmax.
            let best = row.iter().enumerate().fold(0, |b, (i, &v)| if v > row[b] { i } else { b });
            predicted.push(best);
            probs.extend(row.iter());
        }
    }
    write_labels(&args, &predicted)?;
    if let Some(path) = &args.probs_out {
        let t = Tensor::from_vec(&[count, classes], probs).map_err(|e| e.to_string())?;
        npy::write_npy(path, &t).map_err(|e| e.to_string())?;
    }
    let correct = predicted.iter().zip(&labels.data).filter(|(&p, &l)| p == l as usize).count();
    eprintln!("accuracy: {:.4} ({correct}/{count} correct)", correct as f64 / count.max(1) as f64);
    Ok(())
}

fn write_labels(args: &Args, predicted: &[usize]) -> Result<(), String> {
    let text: String = predicted.iter().map(|p| format!("{p}\n")).collect();
    match &args.out {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            std::io::stdout().write_all(text.as_bytes()).map_err(|e| format!("cannot write the labels: {e}"))
        }
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
