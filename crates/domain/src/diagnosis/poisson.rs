//! The Poisson upper tail P(X ≥ k) for X ~ Poisson(λ), summed from k upwards in log space so
//! that the tiny p-values of real bursts are exact rather than 1 − (something close to 1).

/// ln(n!) by summing logarithms: counts here are small (at most a few thousand), and an exact
/// sum needs no gamma-function approximation.
fn ln_factorial(n: u64) -> f64 {
    (2..=n).map(|i| (i as f64).ln()).sum()
}

/// P(X ≥ k) for X ~ Poisson(`lambda`); 1 when k = 0, and for λ = 0 the tail is 0 (k > 0).
pub fn upper_tail(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    // Past the mode the terms fall; below it the tail is large: 1 − the lower sum is exact
    // enough there.
    if (k as f64) <= lambda {
        let mut lower = 0.0;
        let mut term = (-lambda).exp();
        for i in 0..k {
            lower += term;
            term *= lambda / (i + 1) as f64;
        }
        return (1.0 - lower).clamp(0.0, 1.0);
    }
    let mut term = (-lambda + k as f64 * lambda.ln() - ln_factorial(k)).exp();
    let mut sum = 0.0;
    let mut i = k;
    while term > sum * 1e-16 && i < k + 10_000 {
        sum += term;
        i += 1;
        term *= lambda / i as f64;
    }
    sum.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        ((a - b) / b).abs() < 1e-9
    }

    #[test]
    fn matches_the_closed_forms() {
        // P(X ≥ 1) = 1 − e^{−λ}.
        assert!(close(upper_tail(1, 2.0), 1.0 - (-2.0f64).exp()));
        // P(X ≥ 2) = 1 − e^{−λ}(1 + λ).
        assert!(close(upper_tail(2, 0.5), 1.0 - (-0.5f64).exp() * 1.5));
        // Far in the tail, the first term dominates: λ^k e^{−λ} / k!.
        let lam: f64 = 0.25;
        let first = lam.powi(10) * (-lam).exp() / 3_628_800.0;
        let p = upper_tail(10, lam);
        assert!(p > first && p < first * 1.03, "{p} vs {first}");
        assert_eq!(upper_tail(0, 3.0), 1.0);
        assert_eq!(upper_tail(3, 0.0), 0.0);
        // Decreasing in k, increasing in λ.
        assert!(upper_tail(6, 2.0) < upper_tail(5, 2.0));
        assert!(upper_tail(6, 3.0) > upper_tail(6, 2.0));
    }
}
