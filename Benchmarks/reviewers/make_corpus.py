"""A 100,000-paper corpus with authors for timing reviewer search (Benchmarks/reviewers/speed.sh).

The vectors and titles are pypi-minilm-100k's base (real MiniLM embeddings); the authors are
generated, seeded, with the shape of real bibliographies:
- productivity follows Lotka's law (the share of authors with n papers falls as 1/n^2, capped at 300),
  so most people have one paper and a few have hundreds;
- each author works on one topic: their papers are drawn from the papers nearest one of 1,000
  topic centres (random base vectors), so the nearest papers to a query share authors, as in a
  real field;
- names are drawn from given and family name lists; one paper in ten spells its authors "Last, First".
Writes JSONL (id = row number, title, authors, year) for `refer ingest --vectors base.fbin`.
"""
import json
import sys

import numpy as np

base_dir, out = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(20261206)
with open(f"{base_dir}/base.fbin", "rb") as f:
    n, d = np.fromfile(f, dtype=np.uint32, count=2)
    x = np.fromfile(f, dtype=np.float32, count=int(n) * int(d)).reshape(int(n), int(d))
titles = open(f"{base_dir}/base.txt", encoding="utf-8").read().split("\n")[: len(x)]

centres = x[rng.choice(len(x), 1000, replace=False)]
topic = np.empty(len(x), dtype=np.int32)
for s in range(0, len(x), 10000):
    topic[s:s + 10000] = np.argmax(x[s:s + 10000] @ centres.T, axis=1)
members = [np.flatnonzero(topic == t) for t in range(len(centres))]
sizes = np.array([len(m) for m in members], dtype=np.float64)

given = ("Wei Jing Li Min Hao Yu Xin Yan Jun Lei Ana Maria Laura Sofia Elena Marta Julia Clara Eva Irene "
         "John David Michael James Robert Daniel Thomas Paul Mark Peter Anna Emma Sarah Emily Olivia Hannah "
         "Lucas Mateo Hugo Leo Noah Liam Arjun Rohan Priya Divya Anil Sunil Kenji Yuki Haruto Sakura Jin Minho "
         "Seojun Jiwoo Omar Ali Fatima Layla Youssef Amir Ivan Olga Dmitri Natalia Sergei Katarina Piotr Agnieszka "
         "Lars Ingrid Sven Freya Matteo Giulia Luca Chiara Pierre Camille Louis Chloe Jonas Lena Felix Mia").split()
family = ("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Smith Johnson "
          "Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson "
          "Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson "
          "Kim Park Choi Jung Kang Cho Yoon Jang Lim Han Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto "
          "Nakamura Kobayashi Kato Patel Sharma Singh Kumar Gupta Shah Mehta Reddy Nair Iyer Muller Schmidt "
          "Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Rossi Russo Ferrari Esposito Bianchi "
          "Romano Colombo Ricci Marino Greco Dubois Durand Leroy Moreau Simon Laurent Lefebvre Michel Ivanov "
          "Smirnov Kuznetsov Popov Petrov Novak Kowalski Nowak Wisniewski Nielsen Hansen Jensen Larsen Andersen "
          "Silva Santos Oliveira Souza Costa Pereira Almeida Ferreira Rocha Nguyen Tran Pham Hoang Vu Dang").split()

authorships = [[] for _ in range(len(x))]
paper_count = 0
person = 0
target = 3.4 * len(x)
names = []
while paper_count < target:
    k = int(min(300, np.floor(1 / (1 - rng.random()) ** 1.0)))   # P(n >= k) = 1/k: Lotka's 1/n^2
    t = rng.choice(len(centres), p=sizes / sizes.sum())
    pool = members[t]
    for p in rng.choice(pool, size=min(k, len(pool)), replace=False):
        authorships[p].append(person)
    # Past the name lists' product, a middle initial: homonyms then share a name key, as in real data.
    middle = "" if person < len(given) * len(family) else f" {chr(65 + (person // (len(given) * len(family))) % 26)}."
    names.append(f"{given[person % len(given)]}{middle} {family[(person // len(given)) % len(family)]}")
    paper_count += min(k, len(pool))
    person += 1

with open(out, "w", encoding="utf-8") as o:
    for i in range(len(x)):
        people = authorships[i][:12] or [person + i]
        spelled = []
        for a in people:
            name = names[a] if a < len(names) else f"Solo Author{i}"
            if rng.random() < 0.1:
                parts = name.split(" ", 1)
                name = f"{parts[1]}, {parts[0]}"
            spelled.append(name)
        o.write(json.dumps({"id": str(i), "title": titles[i] or "(empty)", "authors": spelled,
                            "year": int(2010 + rng.integers(0, 16))}) + "\n")
print(f"{len(x)} papers, {person} generated authors, {paper_count} authorships", file=sys.stderr)
