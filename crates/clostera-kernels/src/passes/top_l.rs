//! Top-L nearest centroids per row (L <= 32), for shortlist rescoring.

use crate::error::{KernelError, KernelResult};
use crate::matrix::Matrix;
use crate::metric::Metric;
use crate::options::PassOptions;
use crate::parallel::{for_each_block, threads_for_work, SharedOut};
use crate::tiling::{for_each_chunk, row_block, PackedCentroids, RowScratch};
use crate::validate::check_out_len;

/// The largest L a caller may ask for.
pub const MAX_L: usize = 32;

/// A sorted list of the `l` smallest keys seen so far; equal keys keep the earlier (lower)
/// index first because centroids arrive in increasing order and insertion goes after equals.
pub(crate) struct Shortlist {
    pub keys: [f32; MAX_L],
    pub idx: [u32; MAX_L],
    len: usize,
}

impl Shortlist {
    pub fn new() -> Self {
        Shortlist {
            keys: [f32::INFINITY; MAX_L],
            idx: [0; MAX_L],
            len: 0,
        }
    }

    #[inline]
    pub fn offer(&mut self, l: usize, key: f32, index: u32) {
        if self.len == l && key >= self.keys[l - 1] {
            return;
        }
        let mut pos = self.len.min(l - 1);
        while pos > 0 && self.keys[pos - 1] > key {
            if pos < l {
                self.keys[pos] = self.keys[pos - 1];
                self.idx[pos] = self.idx[pos - 1];
            }
            pos -= 1;
        }
        self.keys[pos] = key;
        self.idx[pos] = index;
        self.len = (self.len + 1).min(l);
    }
}

/// Writes, for each row, the `l` nearest centroids (`labels[i*l ..]`, nearest first, ties to the
/// lowest index) and their values (`values[i*l ..]`).
pub fn top_l(
    x: Matrix,
    c: Matrix,
    metric: Metric,
    l: usize,
    labels: &mut [u32],
    values: &mut [f32],
    o: &PassOptions,
) -> KernelResult<()> {
    let r = o.resolve()?;
    if l == 0 || l > MAX_L {
        return Err(KernelError::invalid(format!("L = {l} is out of range"))
            .with_expected(format!("1 ..= {MAX_L}"))
            .with_actual(l));
    }
    super::check_pair(x, c, metric, &r)?;
    if l > c.n {
        return Err(KernelError::invalid(format!(
            "L = {l} exceeds the number of centroids k = {}",
            c.n
        ))
        .with_expected(format!("<= {}", c.n))
        .with_actual(l));
    }
    check_out_len(labels.len(), x.n * l, "labels")?;
    check_out_len(values.len(), x.n * l, "values")?;
    let isa = r.isa;
    let k = c.n;
    let pc = PackedCentroids::new(c, metric, isa);
    let rb = row_block(x.d);
    let (labels_out, values_out) = (SharedOut::new(labels), SharedOut::new(values));
    for_each_block(
        x.n.div_ceil(rb),
        threads_for_work(x.n * k * x.d, r.threads),
        &r.control,
        RowScratch::new,
        |b, scratch| {
            let r0 = b * rb;
            let rows = rb.min(x.n - r0);
            let mut lists: Vec<Shortlist> = (0..rows).map(|_| Shortlist::new()).collect();
            let mut keys = vec![0.0f32; crate::tiling::K_CHUNK];
            for_each_chunk(isa, x, r0, rows, &pc, scratch, |start, len, tile, ldc| {
                let real = len.min(k - start.min(k));
                for (i, list) in lists.iter_mut().enumerate() {
                    isa.keys(
                        &tile[i * ldc..i * ldc + real],
                        &pc.bias[start..start + real],
                        &pc.mult[start..start + real],
                        &mut keys,
                    );
                    for (q, key) in keys[..real].iter().enumerate() {
                        list.offer(l, *key, (start + q) as u32);
                    }
                }
            });
            // SAFETY: block b owns rows r0 .. r0+rows (times l) of both outputs; blocks never overlap.
            let (lab, val) = unsafe {
                (
                    labels_out.slice(r0 * l, rows * l),
                    values_out.slice(r0 * l, rows * l),
                )
            };
            for (i, list) in lists.iter().enumerate() {
                let term = super::row_term(isa, metric, x.row(r0 + i));
                for s in 0..l {
                    lab[i * l + s] = list.idx[s];
                    val[i * l + s] = super::key_to_value(metric, list.keys[s], term);
                }
            }
            r.control.add_rows(rows);
            Ok(())
        },
    )
}
