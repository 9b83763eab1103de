/**
 * Two-sided 95% quantiles of Student's t, t(0.975, df), for df = 1…30; beyond that the normal 1.96 is close.
 * For the rounds' 95% intervals (compare.ts) and the rounds it takes to settle one (settle.ts).
 */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export const t975 = (degreesOfFreedom: number): number =>
  degreesOfFreedom >= 1 && degreesOfFreedom <= T_975.length ? T_975[degreesOfFreedom - 1]! : 1.96;
