CREATE TYPE public.a_very_long_enum_type_name_that_uses_all_sixty_three_bytes_xxxx AS ENUM ('a', 'b', 'c');
CREATE TABLE public.a_very_long_table_name_that_uses_all_sixty_three_bytes_xxxxxxx (
    id serial,
    e public.a_very_long_enum_type_name_that_uses_all_sixty_three_bytes_xxxx,
    v text
);
CREATE INDEX a_very_long_index_name_that_uses_all_sixty_three_bytes_xxxxxxxx ON public.a_very_long_table_name_that_uses_all_sixty_three_bytes_xxxxxxx (v);
