"""Writes N residents (身份证号 with a valid check digit, distinct; phone; household code taken in
turn from the households CSV exported from the seeded city) as CSV, and optionally the same rows
as .xlsx (openpyxl, write-only).

Usage: python3 make_residents.py HOUSEHOLDS.csv N OUT.csv [OUT.xlsx]
"""
import csv, datetime, sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
RELATIONS = ["户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "其他"]
POLITICAL = ["群众", "中共党员", "中共预备党员", "共青团员", "民主党派"]
HEADER = ["身份证号", "姓名", "手机号", "户编号", "与户主关系", "政治面貌"]


def id_number(area6, date, seq3):
    first17 = f"{area6}{date:%Y%m%d}{seq3:03d}"
    return first17 + CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def rows(households, n):
    # Area 110105 (Beijing): no clash with the demo city's own residents (3205xx).
    # 1,000 sequence numbers per birth date: distinct for any n ≤ 1,000 × days.
    start = datetime.date(1940, 1, 1)
    for i in range(n):
        date = start + datetime.timedelta(days=i // 1000)
        h = households[i % len(households)]
        yield [
            id_number("110105", date, i % 1000),
            SURNAMES[i % len(SURNAMES)] + GIVEN[i // len(SURNAMES) % len(GIVEN)],
            f"139{i:08d}" if i % 5 else "",
            h,
            RELATIONS[(i // len(households)) % len(RELATIONS)],
            POLITICAL[i % len(POLITICAL)],
        ]


def main():
    src, n, out_csv = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(src, encoding="utf-8-sig") as f:
        r = csv.reader(f)
        col = next(r).index("户编号")
        households = [row[col] for row in r]
    assert households, "no households in " + src
    with open(out_csv, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows(households, n))
    if len(sys.argv) > 4:
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("居民")
        ws.append(HEADER)
        for row in rows(households, n):
            ws.append(row)
        wb.save(sys.argv[4])
    print(f"{n} residents over {len(households)} households")


main()
