-- id: rows_rank
-- title: 同一级中哪项最多
-- description: 一份文档中同一级的行（功能分类的类、款、项，某一类或款下面的各项，经济分类的款，项目，所属单位）按每行的合计栏从多到少排列，写明比的是哪一级、哪张表；一个项目有规定的组成部分（“三公”经费……）时在组成部分中排。
-- examples: 司法局功能分类哪一类支出最多 | 财政局商品和服务支出里哪个科目最多 | 信访局哪个项目钱最多 | 水务局下面哪家单位预算最多
-- slots: documents, concepts, names, codes
-- needs: one_body
-- match: (类|款|项目|项级|单位|家|经济|功能).{0,14}?(最多|最少|最大|最小|最高|最低|大头|排名|排序|前([1-9]|[一二两三四五六七八九十]))|(最多|最少|最大|最小|最高|最低|大头|排名|前([1-9]|[一二两三四五六七八九十])).{0,8}?(类|款|项目|项|单位|家)|按(类|款|项|科目)排.{0,8}?(前([1-9]|[一二两三四五六七八九十])|最多|最少|最大|最小)|哪(一|个|几)?(项|类|款|块|部分|科目|个项目|家|个单位)|(最多|最大|最少|最小)(的)?一笔|占大头|(项目|项目支出|所属单位|下属单位)(都|具体)?(有|是)哪些|哪些项目
-- priority: 25
-- compose: rows_rank
-- uses: item_figures, document_figures
-- operators: rank, share
-- the items asked about (a parent row, or a concept with parts), and every amount the documents' tables print:
-- the composer chooses the level and the table
select * from item_figures
union all
select * from document_figures where source = 'table' and measure = '金额' and value is not null
order by document_id, page, source, row_no, col_no
