-- id: document_info
-- title: 文档基本情况
-- description: 当前文档是哪个单位、哪一年、预算还是决算、部门版还是单位版，有几页、几张表、来自哪些文件。
-- examples: 这份文档是什么 | 文档基本信息 | 一共多少页
-- slots: document
-- needs: no_item
-- match: 文档信息|基本信息|基本情况|这份|本文档|这个文档|几页|多少页|什么文档|哪份文档
-- priority: 14
-- compose: document_info
select d.body, d.region, d.year, d.phase, d.edition, d.pages,
       (select count(*) from doc_tables as t where t.document_id = d.document_id and t.kind <> 'other') as tables,
       (select string_agg(f.file_name, '、' order by f.file_no) from files as f
        where f.document_id = d.document_id) as files
from documents as d
where d.document_id = $document
