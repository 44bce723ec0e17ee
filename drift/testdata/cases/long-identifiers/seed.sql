INSERT INTO public.a_very_long_table_name_that_uses_all_sixty_three_bytes_xxxxxxx (e, v) VALUES ('a', 'x');
