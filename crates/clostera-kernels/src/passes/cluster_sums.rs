//! Cluster sums accumulated inside an assignment pass, while each block's rows are still in
//! cache: what `accumulate` computes, without reading the rows a second time.
//!
//! Blocks of rows are grouped into a fixed number of contiguous partitions; each partition adds
//! its rows to its own `k x d` float64 buffer in row order, and the partitions are added in
//! order at the end, so the sums are identical at any thread count.

use crate::error::KernelResult;
use crate::matrix::Matrix;
use crate::parallel::SharedOut;
use crate::simd::Isa;
use crate::tiling::BlockRows;
use crate::validate::check_out_len;

/// Partitions of the row blocks (fixed, so results do not depend on the thread count).
const PARTITIONS: usize = 8;

/// Per-cluster sums of a new assignment, filled by the pass itself.
pub struct ClusterSums<'a> {
    /// Row-major `k x d` weighted sums.
    pub sums: &'a mut [f64],
    /// Total weight per cluster.
    pub weight_sums: &'a mut [f64],
    /// Members per cluster.
    pub counts: &'a mut [u32],
}

impl ClusterSums<'_> {
    /// Checks the output lengths for `k` clusters of `d` components.
    pub(crate) fn check(&self, k: usize, d: usize) -> KernelResult<()> {
        check_out_len(self.sums.len(), k * d, "sums")?;
        check_out_len(self.weight_sums.len(), k, "weight sums")?;
        check_out_len(self.counts.len(), k, "counts")
    }
}

/// The partial sums of every partition (empty buffers when no sums are wanted).
pub(crate) struct PartitionSums {
    /// Blocks per partition.
    pub per: usize,
    /// Number of partitions.
    pub parts: usize,
    k: usize,
    d: usize,
    sums: Vec<f64>,
    weights: Vec<f64>,
    counts: Vec<u32>,
}

/// Partition buffers kept from one pass to the next. A fresh `k x d x 8`-partition buffer (500 KiB
/// at k = 10, d = 784; 2 MiB at k = 256, d = 128) came from the system as new pages each pass,
/// and on this VM a page fault costs several microseconds: about 1,800 faults in a Fashion-MNIST
/// k = 10 fit's 38 training passes, 10-15 ms. Two buffers cover a pass and one running alongside.
static SPARE: std::sync::Mutex<Vec<Vec<f64>>> = std::sync::Mutex::new(Vec::new());
const SPARE_MAX: usize = 2;

/// A zeroed buffer of `len` doubles, reusing a spare one when there is one.
fn zeroed(len: usize) -> Vec<f64> {
    let spare = SPARE.lock().unwrap_or_else(|e| e.into_inner()).pop();
    match spare {
        Some(mut v) => {
            v.clear();
            v.resize(len, 0.0);
            v
        }
        None => vec![0.0; len],
    }
}

impl Drop for PartitionSums {
    fn drop(&mut self) {
        if self.sums.capacity() == 0 {
            return;
        }
        let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
        if spare.len() < SPARE_MAX {
            spare.push(std::mem::take(&mut self.sums));
        } else if let Some(smallest) = spare.iter_mut().min_by_key(|v| v.capacity()) {
            // Keep the larger buffers: they are the ones that cost faults.
            if smallest.capacity() < self.sums.capacity() {
                *smallest = std::mem::take(&mut self.sums);
            }
        }
    }
}

/// One partition's view of its own buffers.
pub(crate) struct PartitionView<'a> {
    d: usize,
    sums: &'a mut [f64],
    weights: &'a mut [f64],
    counts: &'a mut [u32],
}

impl PartitionView<'_> {
    /// Adds the rows `which` of `x` to the clusters in `labels` (one label per row), each times
    /// its weight (indexed by data row) and, when given, its `scale` (per row of the block).
    ///
    /// Rows go in cluster by cluster (a counting sort of the block by label), so each cluster's
    /// `d` float64 sums stay in L1 while its rows are added instead of every row touching a
    /// different line of the `k x d` buffer. Within a cluster rows keep their order, so every sum
    /// is added in the same order, and has the same bits, as row by row.
    pub fn add_rows(
        &mut self,
        isa: &Isa,
        x: Matrix,
        which: BlockRows,
        labels: &[u32],
        weights: Option<&[f32]>,
        scale: Option<&[f32]>,
    ) {
        let k = self.counts.len();
        let mut start = vec![0u32; k + 1];
        for l in labels {
            start[*l as usize + 1] += 1;
        }
        for c in 0..k {
            start[c + 1] += start[c];
        }
        let mut order = vec![0u32; labels.len()];
        let mut next = start.clone();
        for (i, l) in labels.iter().enumerate() {
            let slot = &mut next[*l as usize];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        let (mut rows, mut row_ws) = (Vec::new(), Vec::new());
        for c in 0..k {
            let members = &order[start[c] as usize..start[c + 1] as usize];
            if members.is_empty() {
                continue;
            }
            rows.clear();
            row_ws.clear();
            for i in members {
                let i = *i as usize;
                let id = which.row_index(i);
                let w = weights.map_or(1.0, |w| f64::from(w[id]));
                rows.push(x.row(id));
                row_ws.push(scale.map_or(w, |s| w * f64::from(s[i])));
                self.weights[c] += w;
            }
            self.counts[c] += members.len() as u32;
            // All of the cluster's rows in one call: its sums stay in registers across them.
            isa.add_rows_f64(&mut self.sums[c * self.d..(c + 1) * self.d], &rows, &row_ws);
        }
    }
}

/// Shared handles through which the partitions write their own buffers from several threads.
pub(crate) struct PartitionOut {
    slen: usize,
    wlen: usize,
    d: usize,
    sums: SharedOut<f64>,
    weights: SharedOut<f64>,
    counts: SharedOut<u32>,
}

impl PartitionOut {
    /// The buffers of partition `p`.
    ///
    /// # Safety
    /// Each partition index is used by one thread at a time (partitions never share buffers).
    pub unsafe fn view(&self, p: usize) -> PartitionView<'_> {
        // SAFETY: partition p owns slots p*len .. (p+1)*len of each buffer (caller's contract).
        unsafe {
            PartitionView {
                d: self.d,
                sums: self.sums.slice(p * self.slen, self.slen),
                weights: self.weights.slice(p * self.wlen, self.wlen),
                counts: self.counts.slice(p * self.wlen, self.wlen),
            }
        }
    }
}

impl PartitionSums {
    /// Buffers for `blocks` row blocks, `k` clusters of `d` components; `wanted = false` makes
    /// the same partitions with empty buffers.
    pub fn new(blocks: usize, k: usize, d: usize, wanted: bool) -> PartitionSums {
        let per = blocks.div_ceil(PARTITIONS.min(blocks).max(1)).max(1);
        let parts = blocks.div_ceil(per);
        let (slen, wlen) = if wanted { (k * d, k) } else { (0, 0) };
        PartitionSums {
            per,
            parts,
            k: if wanted { k } else { 0 },
            d,
            sums: zeroed(parts * slen),
            weights: vec![0.0; parts * wlen],
            counts: vec![0; parts * wlen],
        }
    }

    /// The blocks of partition `p`.
    pub fn blocks_of(&self, p: usize, blocks: usize) -> std::ops::Range<usize> {
        p * self.per..((p + 1) * self.per).min(blocks)
    }

    /// Handles for the partitions to write through.
    pub fn out(&mut self) -> PartitionOut {
        PartitionOut {
            slen: self.k * self.d,
            wlen: self.k,
            d: self.d,
            sums: SharedOut::new(&mut self.sums),
            weights: SharedOut::new(&mut self.weights),
            counts: SharedOut::new(&mut self.counts),
        }
    }

    /// Adds the partitions in order into `out`.
    pub fn reduce(&self, out: ClusterSums) {
        let (k, slen) = (self.k, self.k * self.d);
        out.sums.fill(0.0);
        out.weight_sums.fill(0.0);
        out.counts.fill(0);
        for p in 0..self.parts {
            for (o, v) in out
                .sums
                .iter_mut()
                .zip(&self.sums[p * slen..(p + 1) * slen])
            {
                *o += v;
            }
            for c in 0..k {
                out.weight_sums[c] += self.weights[p * k + c];
                out.counts[c] += self.counts[p * k + c];
            }
        }
    }
}
