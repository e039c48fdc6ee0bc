"""Writes a division table shaped like the national 统计用区划代码 table (all five levels, 12-digit
codes, 名称, 城乡分类代码 on the community level): 31 provinces, 11 cities each, 9 counties per
city, 19 townships per county, 10 community units per township — 645,000 rows or so, the size of
the real table (about 656,000). Township codes use the official ranges (001–099 街道, 100–199 镇,
200–399 乡, 400–599 类似乡级单位), community codes 001–199 居委会, 200–399 村委会, 400–499
类似居委会 and 500–599 类似村委会.

Usage: python3 make_areas.py OUT.csv
"""
import csv, sys

PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
             50, 51, 52, 53, 54, 61, 62, 63, 64, 65]
TOWNS = [1, 2, 3, 4, 5, 101, 102, 103, 104, 105, 106, 201, 202, 203, 204, 205, 206, 400, 401]
UNITS = [(1, "社区居委会", "111"), (2, "社区居委会", "111"), (3, "社区居委会", "112"),
         (4, "社区居委会", "121"), (201, "村委会", "210"), (202, "村委会", "220"),
         (203, "村委会", "220"), (204, "村委会", "220"), (401, "虚拟社区", "111"),
         (501, "生活区", "220")]


def main(out):
    n = 0
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["统计用区划代码", "名称", "城乡分类代码"])
        for p in PROVINCES:
            w.writerow([f"{p:02d}0000000000", f"第{p}省", ""]); n += 1
            for c in range(1, 12):
                w.writerow([f"{p:02d}{c:02d}00000000", f"第{p}省第{c}市", ""]); n += 1
                for d in range(1, 10):
                    county = f"{p:02d}{c:02d}{d:02d}"
                    w.writerow([f"{county}000000", f"第{c}市第{d}区", ""]); n += 1
                    for t in TOWNS:
                        town = f"{county}{t:03d}"
                        w.writerow([f"{town}000", f"{county}第{t}街道", ""]); n += 1
                        for v, kind, ur in UNITS:
                            w.writerow([f"{town}{v:03d}", f"第{t}街道第{v}{kind}", ur]); n += 1
    print(f"{n} areas written to {out}")


main(sys.argv[1])
