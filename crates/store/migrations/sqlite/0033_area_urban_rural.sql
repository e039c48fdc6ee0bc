-- The urban-rural class (城乡分类代码: 111 … 220) that the statistical division table gives a
-- community or village, when the imported table brings it; NULL otherwise.
ALTER TABLE areas ADD COLUMN urban_rural TEXT;
