//! A float sum with compensation, for the embedded passes' cell sums.

/// A float sum with Neumaier's running compensation: the correctly rounded
/// total of many values in practice, as BigQuery's exact NUMERIC sums give
/// (a naive sum can land on 5.500000000000001 and flip a threshold).
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum {
    total: f64,
    carry: f64,
}

impl Sum {
    pub fn add(&mut self, value: f64) {
        let next = self.total + value;
        if self.total.abs() >= value.abs() {
            self.carry += (self.total - next) + value;
        } else {
            self.carry += (value - next) + self.total;
        }
        self.total = next;
    }

    /// Adds another sum (of other values) to this one.
    pub fn merge(&mut self, other: Sum) {
        self.add(other.total);
        self.carry += other.carry;
    }

    pub fn value(self) -> f64 {
        self.total + self.carry
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensated_sums_land_on_the_exact_total() {
        let mut naive = 0.0;
        let mut sum = Sum::default();
        for _ in 0..10 {
            naive += 0.1;
            sum.add(0.1);
        }
        assert_ne!(naive, 1.0);
        assert_eq!(sum.value(), 1.0);
        let mut big = Sum::default();
        for value in [1e16, 1.0, -1e16] {
            big.add(value);
        }
        assert_eq!(big.value(), 1.0);
    }
}
