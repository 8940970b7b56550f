-- id: item_per_unit
-- title: 人均或平均每个
-- description: 一个金额除以同一文档印出的数量（人数、车辆数、项目个数……），写明用的是哪个数量和它的页码；文档没有印出数量时不算。
-- examples: 人均基本支出多少 | 公务用车运行维护费平均每辆多少 | 人均工资福利支出是多少
-- slots: documents, concepts, names, codes
-- needs: item
-- match: 人均|平均每|平均一|平均下来(每|一)|摊下来|摊到每|(一|每)(个|辆|人|名|位|项)(项目|车)?合(多少|几)|每一?(个|辆|人|名|位|项|次|批|台|套)[^，,。？?]{0,20}?平均
-- priority: 32
-- compose: per_unit
-- uses: item_figures, document_figures
-- operators: per_unit
-- the item's figures, every count the documents print (人数, 车辆, 项目个数 …), and the narrative's
-- amounts stated in a count's own sentence ("38个项目…涉及资金74,051.18万元"): the composer chooses the
-- count the question's per-unit word asks for, and the amount when the question names only the count
select * from item_figures
union all
select * from document_figures where measure = '数量'
union all
select * from document_figures as d
where d.source = 'text' and d.measure = '金额'
  and exists (select 1 from document_figures as c
              where c.measure = '数量' and c.source = 'text' and c.document_id = d.document_id
                and c.page = d.page and c.sentence = d.sentence)
order by document_id, page, source, row_no, col_no
