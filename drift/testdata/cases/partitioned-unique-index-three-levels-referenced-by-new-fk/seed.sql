INSERT INTO public.event VALUES ('eu', '2026-03-01', 1, 'x'), ('us', '2026-03-02', 2, 'y');
INSERT INTO public.event_note VALUES (10, 'eu', '2026-03-01', 1), (11, 'us', '2026-03-02', 2);
