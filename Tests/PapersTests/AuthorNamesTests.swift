import Names
import Testing
@testable import Papers

/// Author lines from the seed paper list, one per notation it uses, split by hand.
@Suite struct AuthorNamesTests {
    static let pinned: [(String, [String])] = [
        // USENIX: names, then the group's affiliation; groups separated by ";"
        ("Tianqi Chen and Thierry Moreau, University of Washington; Ziheng Jiang, University of Washington, AWS; Lianmin Zheng, Shanghai Jiao Tong University",
         ["Tianqi Chen", "Thierry Moreau", "Ziheng Jiang", "Lianmin Zheng"]),
        ("Philipp Moritz, Robert Nishihara, Stephanie Wang, Michael I. Jordan, and Ion Stoica, UC Berkeley",
         ["Philipp Moritz", "Robert Nishihara", "Stephanie Wang", "Michael I. Jordan", "Ion Stoica"]),
        ("Minjia Zhang, Samyam Rajbhandari, Wenhan Wang, and Yuxiong He, Microsoft AI and Research",
         ["Minjia Zhang", "Samyam Rajbhandari", "Wenhan Wang", "Yuxiong He"]),
        ("Hongyu Zhu, University of Toronto & Vector Institute; Amar Phanishayee, Microsoft Research; Gennady Pekhimenko, University of Toronto & Vector Institute",
         ["Hongyu Zhu", "Amar Phanishayee", "Gennady Pekhimenko"]),
        ("Keval Vora, Simon Fraser; Ravi Netravali, Princeton University; Miryung Kim and Guoqing Harry Xu, UCLA",
         ["Keval Vora", "Ravi Netravali", "Miryung Kim", "Guoqing Harry Xu"]),
        ("Lalith Suresh, VMware; João Loff, IST (ULisboa) / INESC-ID; Faria Kalim, UIUC",
         ["Lalith Suresh", "João Loff", "Faria Kalim"]),
        ("Xuhao Chen and Arvind, MIT CSAIL", ["Xuhao Chen", "Arvind"]),
        ("Hang Liu, University of Massachusetts Lowell; H. Howie Huang, George Washington University", ["Hang Liu", "H. Howie Huang"]),
        ("Wencong Xiao, Shiru Ren, Yong Li, and Yangqing Jia, Alibaba Group", ["Wencong Xiao", "Shiru Ren", "Yong Li", "Yangqing Jia"]),
        ("Chunqiang Tang, Kenny Yu, and Peter Zhang, Facebook Inc.", ["Chunqiang Tang", "Kenny Yu", "Peter Zhang"]),
        ("Minghua Ma, Tsinghua University, BNRist; Jim Xu, Georgia Tech; Dan Pei, Tsinghua University, BNRist", ["Minghua Ma", "Jim Xu", "Dan Pei"]),
        // Parenthesised affiliations
        ("Abhinav Jangda (University of Massachusetts Amherst, United States of America), Sandeep Polisetty (University of Massachusetts Amherst)",
         ["Abhinav Jangda", "Sandeep Polisetty"]),
        ("Minhui Xie, Youyou Lu, Jiazhen Lin, Qing Wang, and Jian Gao (Tsinghua University), Kai Ren (Kuaishou Technology), Jiwu Shu (Tsinghua University)",
         ["Minhui Xie", "Youyou Lu", "Jiazhen Lin", "Qing Wang", "Jian Gao", "Kai Ren", "Jiwu Shu"]),
        ("Jianbang Yang (IPADS, Shanghai Jiao Tong University), Dahai Tang (Hunan University), Wenyuan Yu and Jingren Zhou (Alibaba Group)",
         ["Jianbang Yang", "Dahai Tang", "Wenyuan Yu", "Jingren Zhou"]),
        ("Xupeng Miao (Peking University)*; Yining Shi (Peking University); Bin Cui (Peking University)", ["Xupeng Miao", "Yining Shi", "Bin Cui"]),
        ("\"Fangcheng Fu (Peking University)*; Huanran Xue (Tencent Inc.); Yong Cheng ( Tencent Inc.)\"", ["Fangcheng Fu", "Huanran Xue", "Yong Cheng"]),
        ("Tian Jin (IBM T.J. Watson Research Center);Seokin Hong (Kyungpook National University)", ["Tian Jin", "Seokin Hong"]),
        ("Bita Darvish Rouhani, Huili Chen, Farinaz Koushanfar(UC San Diego)", ["Bita Darvish Rouhani", "Huili Chen", "Farinaz Koushanfar"]),
        ("HT Kung, Bradley McDanel, Sai Qian Zhang (Harvard University)", ["HT Kung", "Bradley McDanel", "Sai Qian Zhang"]),
        ("In Gim, JeongGil Ko(Yonsei University)", ["In Gim", "JeongGil Ko"]),
        // Bare lists, glued names, other separators
        ("Derek G. Murray, Jiří Šimša, Ana Klimovic, Ihor Indyk", ["Derek G. Murray", "Jiří Šimša", "Ana Klimovic", "Ihor Indyk"]),
        ("J. Gregory Pauloski,Qi Huang,Lei Huang,Shivaram Venkataraman,Kyle ChardIan Foster,Zhao Zhang",
         ["J. Gregory Pauloski", "Qi Huang", "Lei Huang", "Shivaram Venkataraman", "Kyle Chard", "Ian Foster", "Zhao Zhang"]),
        ("Vasimuddin Md,Sanchit Misra,Guixiang MaRamanarayan Mohanty,Evangelos Georganas",
         ["Vasimuddin Md", "Sanchit Misra", "Guixiang Ma", "Ramanarayan Mohanty", "Evangelos Georganas"]),
        ("Natalia Gimelshein, Luca Antiga, Alban Desmaison, Zachary DeVito, Martin Raison",
         ["Natalia Gimelshein", "Luca Antiga", "Alban Desmaison", "Zachary DeVito", "Martin Raison"]),
        ("Zhuohan Li · Siyuan Zhuang · Shiyuan Guo · Ion Stoica", ["Zhuohan Li", "Siyuan Zhuang", "Shiyuan Guo", "Ion Stoica"]),
        ("*Peter Mattson, Christine Cheng, Gregory Diamos", ["Peter Mattson", "Christine Cheng", "Gregory Diamos"]),
        ("D. Sculley, Gary Holt, Jean-Franc¸ois Crespo, Dan Dennison.", ["D. Sculley", "Gary Holt", "Jean-Franc¸ois Crespo", "Dan Dennison"]),
        ("Colin Unger, Mandeep Baines, Carlos Efrain Quintero Narvaez, Vinay Ramakrishnaiah",
         ["Colin Unger", "Mandeep Baines", "Carlos Efrain Quintero Narvaez", "Vinay Ramakrishnaiah"]),
        ("Yanping Huang, Quoc V. Le, Yonghui Wu, zhifeng Chen", ["Yanping Huang", "Quoc V. Le", "Yonghui Wu", "zhifeng Chen"]),
        // Markdown links
        ("[Dmitry Lepikhin](https://arxiv.org/search/cs?searchtype=author&query=Lepikhin%2C+D), [HyoukJoong Lee](https://arxiv.org/a), Zhifeng Chen",
         ["Dmitry Lepikhin", "HyoukJoong Lee", "Zhifeng Chen"]),
        ("[Zixian Cai](https://ppopp21.sigplan.org/profile/zixiancai) Australian National University, [Zhengyang Liu](https://x) University of Utah",
         ["Zixian Cai", "Zhengyang Liu"]),
        ("[Zhaodong Chen](https://p/zc) University of California, Santa Barbara, [Zheng Qu](https://p/zq) University of California, Santa Barbara",
         ["Zhaodong Chen", "Zheng Qu"]),
        ("[Kim M. Hazelwood](https://dblp.org/pid/77/1117.html), [Sarah Bird](https://dblp.org/pid/53/8277.html)", ["Kim M. Hazelwood", "Sarah Bird"]),
        // CV emphasis
        ("Haojun Xia\\*, **Zhen Zheng**\\*, Yuchao Li, Donglin Zhuang.", ["Haojun Xia", "Zhen Zheng", "Yuchao Li", "Donglin Zhuang"]),
        ("Minjia Zhang<sup>\\*</sup>, Menghao Li<sup>\\*</sup>, Chi Wang, Minqin Li", ["Minjia Zhang", "Menghao Li", "Chi Wang", "Minqin Li"]),
    ]

    @Test("every notation of the seed list splits into the right names", arguments: 0..<pinned.count)
    func pinnedLine(_ i: Int) {
        let (line, names) = Self.pinned[i]
        #expect(AuthorNames.split(line) == names, "\(line)")
    }

    @Test("keys meet across case, accents, order and initials")
    func keys() {
        #expect(NameText.tokens(of: "Jiří Šimša") == NameText.tokens(of: "jiri simsa"))
        #expect(NameText.tokens(of: "Zhou, Keren") == NameText.tokens(of: "Keren Zhou"))
        #expect(NameText.tokens(of: "**Zhen Zheng**") == ["zhen", "zheng"])
        #expect(PersonName("Hongyu Zhu").initialKey == "zhu|h")
        #expect(PersonName("Zhu H.").initialKey == "zhu|h")
        #expect(PersonName("H. Zhu").initialKey == "zhu|h")
    }
}
