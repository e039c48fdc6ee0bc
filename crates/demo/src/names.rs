//! Chinese personal names: surnames weighted by their national frequency (with the Suzhou
//! favourites 陆、顾、沈、钱 given a little extra), given names of one or two characters
//! drawn from lists typical of the bearer's sex and generation.

use crate::rng::Rng;

/// (surname, weight ≈ ‰ of the population).
const SURNAMES: [(&str, f64); 100] = [
    ("王", 71.5),
    ("李", 72.0),
    ("张", 68.6),
    ("刘", 54.0),
    ("陈", 45.3),
    ("杨", 31.0),
    ("黄", 22.3),
    ("赵", 20.4),
    ("吴", 20.0),
    ("周", 19.2),
    ("徐", 16.2),
    ("孙", 15.4),
    ("马", 12.9),
    ("朱", 12.8),
    ("胡", 11.6),
    ("郭", 11.5),
    ("何", 9.8),
    ("高", 9.7),
    ("林", 9.5),
    ("罗", 8.9),
    ("郑", 8.1),
    ("梁", 8.0),
    ("谢", 7.2),
    ("宋", 6.5),
    ("唐", 6.4),
    ("许", 6.0),
    ("韩", 5.9),
    ("冯", 5.6),
    ("邓", 5.5),
    ("曹", 5.4),
    ("彭", 5.3),
    ("曾", 5.0),
    ("肖", 4.9),
    ("田", 4.8),
    ("董", 4.7),
    ("袁", 4.6),
    ("潘", 4.5),
    ("于", 4.4),
    ("蒋", 4.3),
    ("蔡", 4.2),
    ("余", 4.1),
    ("杜", 4.0),
    ("叶", 3.9),
    ("程", 3.8),
    ("苏", 3.7),
    ("魏", 3.6),
    ("吕", 3.5),
    ("丁", 3.4),
    ("任", 3.3),
    ("沈", 5.5),
    ("姚", 3.1),
    ("卢", 3.0),
    ("姜", 2.9),
    ("崔", 2.8),
    ("钟", 2.7),
    ("谭", 2.6),
    ("陆", 5.8),
    ("汪", 2.5),
    ("范", 2.5),
    ("金", 2.8),
    ("石", 2.3),
    ("廖", 2.2),
    ("贾", 2.1),
    ("夏", 2.1),
    ("韦", 2.0),
    ("付", 2.0),
    ("方", 2.0),
    ("白", 1.9),
    ("邹", 1.9),
    ("孟", 1.8),
    ("熊", 1.8),
    ("秦", 1.8),
    ("邱", 1.7),
    ("江", 1.7),
    ("尹", 1.6),
    ("薛", 1.6),
    ("闫", 1.5),
    ("段", 1.5),
    ("雷", 1.5),
    ("侯", 1.4),
    ("龙", 1.4),
    ("史", 1.4),
    ("陶", 1.4),
    ("黎", 1.3),
    ("贺", 1.3),
    ("顾", 4.9),
    ("毛", 1.2),
    ("郝", 1.2),
    ("龚", 1.2),
    ("邵", 1.2),
    ("万", 1.1),
    ("钱", 3.8),
    ("严", 1.1),
    ("覃", 1.0),
    ("武", 1.0),
    ("戴", 1.0),
    ("莫", 1.0),
    ("孔", 1.0),
    ("向", 0.9),
    ("汤", 0.9),
];

const MALE_OLDER: &str = "建国华明德军平志伟勇强文忠林荣海庆永刚春根福宝兴金生祥龙正卫东";
const MALE_YOUNGER: &str = "浩宇轩子涵睿博晨辰泽一航俊杰昊然天翔铭宸皓逸凯鹏嘉豪文浩";
const FEMALE_OLDER: &str = "秀英兰芳玉珍桂凤华敏红丽霞琴萍梅娟美云静燕琳雪慧淑惠";
const FEMALE_YOUNGER: &str = "欣怡诗涵梓萱雨婷佳琪思语可馨晨悦若彤梦瑶婉清子雅安心";

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

pub(crate) struct NamePool {
    surname_weights: Vec<f64>,
    male_older: Vec<char>,
    male_younger: Vec<char>,
    female_older: Vec<char>,
    female_younger: Vec<char>,
}

impl NamePool {
    pub fn new() -> NamePool {
        NamePool {
            surname_weights: SURNAMES.iter().map(|(_, w)| *w).collect(),
            male_older: chars(MALE_OLDER),
            male_younger: chars(MALE_YOUNGER),
            female_older: chars(FEMALE_OLDER),
            female_younger: chars(FEMALE_YOUNGER),
        }
    }

    pub fn surname(&self, rng: &mut Rng) -> &'static str {
        SURNAMES[rng.weighted(&self.surname_weights)].0
    }

    /// A given name of one or two characters for someone born in `birth_year`.
    pub fn given(&self, rng: &mut Rng, male: bool, birth_year: i32) -> String {
        let older = birth_year < 1980;
        let pool = match (male, older) {
            (true, true) => &self.male_older,
            (true, false) => &self.male_younger,
            (false, true) => &self.female_older,
            (false, false) => &self.female_younger,
        };
        let two = rng.chance(if older { 0.6 } else { 0.8 });
        let mut name = String::with_capacity(6);
        name.push(*rng.pick(pool));
        if two {
            name.push(*rng.pick(pool));
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_surnames_dominate() {
        let pool = NamePool::new();
        let mut rng = Rng::new(1);
        let n = 20_000;
        let wang_li_zhang = (0..n)
            .filter(|_| matches!(pool.surname(&mut rng), "王" | "李" | "张"))
            .count();
        let total: f64 = SURNAMES.iter().map(|s| s.1).sum();
        let expected = (71.5 + 72.0 + 68.6) / total;
        let share = wang_li_zhang as f64 / n as f64;
        assert!((share - expected).abs() < 0.015, "{share} vs {expected}");
        let given = pool.given(&mut rng, true, 1960);
        assert!((1..=2).contains(&given.chars().count()));
    }
}
